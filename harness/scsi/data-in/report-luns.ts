import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { hexBytes } from '../_internals/hex';
import { TextEntry, keyValueText } from '../_internals/key-value-text';

/** A LUN as REPORT LUNS lists it: eight bytes in SAM-5's LUN format. */
export interface ReportedLun {
  readonly bytes: Buffer;
  /** The number, for single level LUNs in peripheral (bus 0) or flat space addressing; else undefined. */
  readonly lun: number | undefined;
}

export interface LunList extends DecodeNotes {
  readonly lunListLength: number;
  readonly luns: readonly ReportedLun[];
}

/** SAM-5: single level LUNs keep bytes 2-7 zero; the address method is bits 7-6 of byte 0. */
const singleLevelLun = (bytes: Buffer): number | undefined => {
  if (bytes.subarray(2).some((byte) => byte !== 0)) return undefined;
  const method = bytes[0] >> 6;
  if (method === 0 && (bytes[0] & 0x3f) === 0) return bytes[1];
  if (method === 1) return ((bytes[0] & 0x3f) << 8) | bytes[1];
  return undefined;
};

export const decodeReportLuns = (bytes: Uint8Array): LunList => {
  const data = Buffer.from(bytes);
  const lunListLength = data.length >= 4 ? data.readUInt32BE(0) : 0;
  const end = 8 + lunListLength;
  const luns: ReportedLun[] = [];
  for (let offset = 8; offset + 8 <= Math.min(end, data.length); offset += 8) {
    const lun = Buffer.from(data.subarray(offset, offset + 8));
    luns.push({ bytes: lun, lun: singleLevelLun(lun) });
  }
  const problems = lunListLength % 8 !== 0 ? [`LUN LIST LENGTH ${lunListLength} is not a multiple of 8`] : [];
  return { lunListLength, luns, truncated: data.length < Math.max(8, end), problems };
};

export const describeReportLuns = (list: LunList): string =>
  keyValueText('REPORT LUNS data', [
    ['LUN LIST LENGTH', `${list.lunListLength}`],
    ...list.luns.map((lun, index): TextEntry => [`LUN ${index + 1}`, lun.lun === undefined ? hexBytes(lun.bytes) : `${lun.lun}`]),
    ...notesEntries(list),
  ]);
