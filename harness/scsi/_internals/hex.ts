/** A number as the SCSI standards write it: uppercase hex digits and an `h`, e.g. `2Ah`, `0004h`. */
export const hex = (value: number | bigint, digits = 2): string => `${value.toString(16).toUpperCase().padStart(digits, '0')}h`;

/** Opaque bytes (vendor fields, identifiers), two digits a byte, space-separated. */
export const hexBytes = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');
