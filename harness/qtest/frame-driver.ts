import type { HbaModel } from '../qemu/hba/registry';
import type { PciDevice } from './pci';
import type { GuestMemory } from './guest-memory';
import type { QtestClient } from './qtest-client';

/** One SCSI command as an HBA's frame carries it: where it goes, its CDB, and the buffers it is given. */
export interface FrameCommand {
  readonly target: number;
  readonly lun: number;
  readonly cdb: Buffer;
  /** Bytes to the device; absent for none. */
  readonly dataOut?: Buffer;
  /** Bytes the host buffer holds for data from the device (0 for none). */
  readonly dataInLength: number;
  /** How long QEMU may take to complete it, in virtual-clock steps and wall time, before it counts as a hang. */
  readonly timeoutMs: number;
}

/**
 * What the HBA's completion said, decoded from its own frame: the SCSI answer, and the HBA's words beside it.
 * `completed: false` means no completion came within the timeout (a hang).
 */
export interface FrameAnswer {
  readonly completed: boolean;
  readonly status: number;
  readonly sense: Buffer;
  readonly residual: number;
  /** The whole host buffer after the command (`dataInLength` bytes). */
  readonly dataIn: Buffer;
  /**
   * The HBA says the device answered: its status and sense are the device's (MFI_STAT_OK or
   * MFI_STAT_SCSI_DONE_WITH_ERROR, VIRTIO_SCSI_S_OK); false when the HBA answered for it (bad target, aborted…).
   */
  readonly deviceAnswered: boolean;
  /** The HBA's own completion code (MFI_STAT_*, VIRTIO_SCSI_S_*). */
  readonly hbaStatus: number;
  /** That code's name, as the HBA's header names it (`MFI_STAT_OK`, `VIRTIO_SCSI_S_BAD_TARGET`). */
  readonly hbaStatusName: string;
  /** Bytes outside the buffers the command was given that changed (canaries around every buffer): the HBA wrote where it should not. */
  readonly strayWrites: readonly string[];
}

/** What an HBA driver is handed to bring its device up: the qtest connection, guest memory, and its PCI function. */
export interface FrameDriverContext {
  readonly qtest: QtestClient;
  readonly memory: GuestMemory;
  readonly pci: PciDevice;
}

/**
 * One HBA spoken to directly over qtest, as libqos speaks to it: initialised once, then one SCSI command at
 * a time. Adding an HBA at frame level is adding one file that makes one of these.
 */
export interface FrameDriver {
  readonly model: HbaModel;
  send(command: FrameCommand): Promise<FrameAnswer>;
}

export interface FrameDriverFactory {
  readonly model: HbaModel;
  /** PCI vendor and device id the driver claims. */
  readonly vendorId: number;
  readonly deviceId: number;
  init(context: FrameDriverContext): Promise<FrameDriver>;
}
