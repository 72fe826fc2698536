import { sliceAt, uintAt } from '../_internals/byte-fields';
import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { hexBytes } from '../_internals/hex';
import { keyValueText } from '../_internals/key-value-text';
import { flag, number, text } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../layout/record';
import { peripheralFields } from './peripheral';
import { versionDescriptorName } from './version-descriptors';

/** Standard INQUIRY data (SPC-5); SPC-4 made the parallel-SCSI bits (ADDR16, WBUS16, SYNC, byte 56) obsolete. */
const standardInquiryFields = {
  ...peripheralFields,
  removable: flag('RMB', 1, 7),
  luCong: flag('LU_CONG', 1, 6),
  version: number('VERSION', wholeBytes(2, 1), {
    names: { 0x00: 'no standard claimed', 0x03: 'SPC', 0x04: 'SPC-2', 0x05: 'SPC-3', 0x06: 'SPC-4', 0x07: 'SPC-5' },
  }),
  normaca: flag('NORMACA', 3, 5),
  hisup: flag('HISUP', 3, 4),
  responseDataFormat: number('RESPONSE DATA FORMAT', bitsIn(3, 3, 4)),
  additionalLength: number('ADDITIONAL LENGTH', wholeBytes(4, 1)),
  sccs: flag('SCCS', 5, 7),
  acc: flag('ACC', 5, 6),
  tpgs: number('TPGS', bitsIn(5, 5, 2), {
    names: { 0: 'no asymmetric logical unit access', 1: 'implicit ALUA only', 2: 'explicit ALUA only', 3: 'implicit and explicit ALUA' },
  }),
  thirdPartyCopy: flag('3PC', 5, 3),
  protect: flag('PROTECT', 5, 0),
  encserv: flag('ENCSERV', 6, 6),
  multip: flag('MULTIP', 6, 4),
  addr16: flag('ADDR16', 6, 0),
  wbus16: flag('WBUS16', 7, 5),
  sync: flag('SYNC', 7, 4),
  cmdque: flag('CMDQUE', 7, 1),
  vendor: text('T10 VENDOR IDENTIFICATION', 8, 8),
  product: text('PRODUCT IDENTIFICATION', 16, 16),
  revision: text('PRODUCT REVISION LEVEL', 32, 4),
  clocking: number('CLOCKING', bitsIn(56, 3, 2)),
  qas: flag('QAS', 56, 1),
  ius: flag('IUS', 56, 0),
};

export type StandardInquiry = FieldValues<typeof standardInquiryFields> &
  DecodeNotes & {
    /** Bytes 36-55, the vendor's own. */
    readonly vendorSpecific: Buffer;
    /** The nonzero VERSION DESCRIPTOR codes of bytes 58-73, in order. */
    readonly versionDescriptors: readonly number[];
  };

/** SPC-5: the fields through byte 35 are always there, so ADDITIONAL LENGTH is at least 31. */
const minimumLength = 36;

const isPrintableAscii = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);

const problemsOf = (inquiry: FieldValues<typeof standardInquiryFields>, available: number): string[] => {
  const problems: string[] = [];
  if (available >= 5 && inquiry.additionalLength + 5 < minimumLength) {
    problems.push(`ADDITIONAL LENGTH ${inquiry.additionalLength} makes the data shorter than the ${minimumLength} bytes SPC-5 requires`);
  }
  if (available >= 4 && inquiry.responseDataFormat !== 2) problems.push(`RESPONSE DATA FORMAT ${inquiry.responseDataFormat}; SPC-5 requires 2`);
  if (![0, 1, 3].includes(inquiry.peripheralQualifier)) problems.push(`PERIPHERAL QUALIFIER ${inquiry.peripheralQualifier} is reserved`);
  for (const [label, value] of [
    ['T10 VENDOR IDENTIFICATION', inquiry.vendor],
    ['PRODUCT IDENTIFICATION', inquiry.product],
    ['PRODUCT REVISION LEVEL', inquiry.revision],
  ]) {
    if (!isPrintableAscii(value)) problems.push(`${label} is not printable ASCII`);
  }
  return problems;
};

/** Decodes as much as `bytes` holds; the caller passes only the bytes the device transferred. */
export const decodeStandardInquiry = (bytes: Uint8Array): StandardInquiry => {
  const values = readRecord(standardInquiryFields, bytes);
  const end = Math.max(minimumLength, values.additionalLength + 5);
  const versionDescriptors = Array.from({ length: 8 }, (_, index) => uintAt(bytes.subarray(0, end), 58 + 2 * index, 2)).filter((code) => code !== 0);
  return {
    ...values,
    vendorSpecific: sliceAt(bytes, 36, Math.min(56, end)),
    versionDescriptors,
    truncated: bytes.length < end,
    problems: problemsOf(values, bytes.length),
  };
};

export const describeStandardInquiry = (inquiry: StandardInquiry): string =>
  keyValueText('standard INQUIRY data', [
    ...recordEntries(standardInquiryFields, inquiry),
    ['version descriptors', inquiry.versionDescriptors.map(versionDescriptorName).join(', ') || 'none'],
    ...(inquiry.vendorSpecific.some((byte) => byte !== 0) ? [['vendor specific', hexBytes(inquiry.vendorSpecific)] as const] : []),
    ...notesEntries(inquiry),
  ]);
