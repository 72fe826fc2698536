import type { PolicyRule } from '../../diff/policy';
import type { ResetKind } from '../../scsi/reset-kind';
import { HbaTrace, noHbaTrace } from '../trace/code-branch';
import type { DiskKind } from '../topology';

/**
 * One emulated host bus adapter, as QEMU builds it and as the guest's driver names it.
 * Adding an HBA to hbadiff is adding one file beside this one and one line to the registry.
 */
export interface HbaDriver<Model extends string = string> {
  /** The name a topology and a case file use. */
  readonly model: Model;
  /** The `-device` type QEMU instantiates. */
  readonly qemuDevice: string;
  /** The guest driver bound to the HBA's own device (its PCI function, virtio device or USB interface), as the guest agent reports it. */
  readonly guestDriver: string;
  /** The guest kernel module of that driver, which the guest image must load for the HBA to be there. */
  readonly guestModule: string;
  /** Target ids a disk may use on this HBA; the initiator's own id and ids past the bus width are left out. */
  readonly usableTargets: readonly number[];
  /**
   * The resets its guest driver carries out when asked for exactly that kind (SG_SCSI_RESET_NO_ESCALATE);
   * it fails the others with EIO, having no handler for them or one that refuses on this adapter. Measured
   * in the guest, each kind on each HBA (README, "Every HBA").
   */
  readonly guestResets: readonly ResetKind[];
  /** The longest CDB it carries to its device, as QEMU builds the request (a case longer than that is refused). */
  readonly maxCdbBytes: number;
  /** What QEMU's trace says about the commands this HBA takes: where each begins, and its error branches. */
  readonly trace: HbaTrace;
  /** `-device` properties for a disk of kind `disk` at `target` on the HBA whose id is `hbaId`. */
  diskProperties(hbaId: string, target: number, disk: DiskKind): Record<string, string | number>;
  /**
   * The guest numbers this HBA's targets in the order it discovers them (a SAS transport does), not by the
   * scsi-id QEMU gives each disk: its paths are then told apart by order, host by host.
   */
  readonly targetsInDiscoveryOrder?: boolean;
  /**
   * Where this HBA answers differently by design (what its guest driver answers itself, limits of its
   * transport), each a policy rule with its reason, between this HBA's paths and the others (`paths` rules) or
   * the reference model (`model` rules): in effect wherever a policy is, never baseline entries.
   */
  readonly intendedDifferences?: readonly PolicyRule[];
  /**
   * Disk kinds that never come up behind this HBA on the QEMU builds hbadiff has met, each with what the guest
   * shows: `--hbas all` leaves those paths out, saying why, rather than boot a guest that cannot say hello.
   */
  readonly disksThatNeverComeUp?: Partial<Record<DiskKind, string>>;
  /**
   * QEMU tells the guest's driver of a disk plugged in or unplugged (the HBA's hotplug callbacks in its
   * SCSIBusInfo: virtio-scsi's event queue, pvscsi's message ring); elsewhere the guest keeps a device gone
   * from under it, and finds one plugged in only where the old one stood.
   */
  readonly tellsGuestOfHotplug?: boolean;
  /** QEMU runs the HBA's requests and its disks' I/O in an iothread of its own (`-object iothread`, the device's `iothread`). */
  readonly iothread?: boolean;
  /**
   * The model of the HBA this one is another setting of (the same emulation with an iothread): `--hbas all`
   * takes every emulation once, in its plain form, and a variant is tested where it is named.
   */
  readonly variantOf?: string;
  /** Its guest driver maps an I/O port BAR, which microvm's PCIe host bridge has no window for: its topology boots q35. */
  readonly needsIoPorts?: boolean;
  /**
   * The bus controller the HBA plugs into (a USB host controller for USB storage), one per machine whatever
   * the number of HBAs on it: its `-device` type and id; the HBA's `-device` then names its bus.
   */
  readonly controller?: { readonly qemuDevice: string; readonly id: string; readonly bus: string };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The usual shape of a parallel-SCSI-style bus: `<hba>.0`, a `scsi-id` and LUN 0. */
export const busDriver = <Model extends string>(
  driver: Omit<HbaDriver<Model>, 'diskProperties' | 'trace'> & { readonly trace?: HbaTrace },
): HbaDriver<Model> => ({
  ...driver,
  trace: driver.trace ?? noHbaTrace,
  diskProperties: (hbaId, target) => ({ bus: `${hbaId}.0`, 'scsi-id': target, lun: 0 }),
});

export const targetRange = range;
