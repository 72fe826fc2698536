/** A SCSI command descriptor block: the bytes sent to the device, of whatever length the test chose. */
export type Cdb = Buffer & { readonly __brand: 'Cdb' };

export const cdb = (bytes: ArrayLike<number>): Cdb => Buffer.from(Array.from(bytes)) as Cdb;

/** Which way data moves, from the initiator's point of view (SG_IO's dxfer_direction). */
export type DataDirection = 'none' | 'from-device' | 'to-device';

export const cdbToHex = (bytes: Cdb): string => bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ');
