import { Cdb, DataDirection } from './cdb';

/**
 * One SCSI command as a test means it, independent of how it reaches the device (guest SG_IO today,
 * QEMU's qtest protocol later): the CDB, the data direction, and the host buffer, whose `length` may
 * differ from what the CDB asks for.
 */
export interface ScsiCommand {
  readonly cdb: Cdb;
  readonly direction: DataDirection;
  readonly length: number;
  /** For `to-device`: exactly `length` bytes. */
  readonly dataOut?: Buffer;
}
