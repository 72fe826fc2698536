/** Sense data as the device returned it, decoded from either fixed (70h/71h) or descriptor (72h/73h) format. */
export interface SenseData {
  readonly format: 'fixed' | 'descriptor';
  readonly current: boolean;
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

const senseKeyNames = [
  'NO SENSE', 'RECOVERED ERROR', 'NOT READY', 'MEDIUM ERROR', 'HARDWARE ERROR', 'ILLEGAL REQUEST',
  'UNIT ATTENTION', 'DATA PROTECT', 'BLANK CHECK', 'VENDOR SPECIFIC', 'COPY ABORTED', 'ABORTED COMMAND',
  'reserved (0Ch)', 'VOLUME OVERFLOW', 'MISCOMPARE', 'COMPLETED',
];

/** Returns null for an empty buffer or one whose response code is neither format (SPC-5 4.4). */
export const decodeSense = (bytes: Buffer): SenseData | null => {
  if (bytes.length < 1) return null;
  const responseCode = bytes[0] & 0x7f;
  if (responseCode === 0x70 || responseCode === 0x71) {
    return {
      format: 'fixed',
      current: responseCode === 0x70,
      key: (bytes[2] ?? 0) & 0x0f,
      asc: bytes[12] ?? 0,
      ascq: bytes[13] ?? 0,
    };
  }
  if (responseCode === 0x72 || responseCode === 0x73) {
    return {
      format: 'descriptor',
      current: responseCode === 0x72,
      key: (bytes[1] ?? 0) & 0x0f,
      asc: bytes[2] ?? 0,
      ascq: bytes[3] ?? 0,
    };
  }
  return null;
};

export const senseKeyName = (key: number): string => senseKeyNames[key & 0x0f];

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export const describeSense = (sense: SenseData): string =>
  `${senseKeyName(sense.key)}, ASC/ASCQ ${hex2(sense.asc)}h/${hex2(sense.ascq)}h (${sense.format}${sense.current ? '' : ', deferred'})`;
