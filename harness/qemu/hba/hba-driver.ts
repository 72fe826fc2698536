import { HbaTrace, noHbaTrace } from '../trace/code-branch';

/**
 * One emulated host bus adapter, as QEMU builds it and as the guest's driver names it.
 * Adding an HBA to hbadiff is adding one file beside this one and one line to the registry.
 */
export interface HbaDriver<Model extends string = string> {
  /** The name a topology and a case file use. */
  readonly model: Model;
  /** The `-device` type QEMU instantiates. */
  readonly qemuDevice: string;
  /** The `proc_name` of the guest driver that binds it, as the guest agent reports it. */
  readonly guestDriver: string;
  /** Target ids a disk may use on this HBA; the initiator's own id and ids past the bus width are left out. */
  readonly usableTargets: readonly number[];
  /** What QEMU's trace says about the commands this HBA takes: where each begins, and its error branches. */
  readonly trace: HbaTrace;
  /** `-device` properties for a disk at `target` on the HBA whose id is `hbaId`. */
  diskProperties(hbaId: string, target: number): Record<string, string | number>;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The usual shape of a parallel-SCSI-style bus: `<hba>.0`, a `scsi-id` and LUN 0. */
export const busDriver = <Model extends string>(
  model: Model,
  qemuDevice: string,
  guestDriver: string,
  usableTargets: readonly number[],
  trace: HbaTrace = noHbaTrace,
): HbaDriver<Model> => ({
  model,
  qemuDevice,
  guestDriver,
  usableTargets,
  trace,
  diskProperties: (hbaId, target) => ({ bus: `${hbaId}.0`, 'scsi-id': target, lun: 0 }),
});

export const targetRange = range;
