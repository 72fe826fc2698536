import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { keyValueText } from '../_internals/key-value-text';
import { flag, number, wide } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../layout/record';

/** READ CAPACITY (10) parameter data (SBC-4): the last LBA, FFFFFFFFh when it does not fit, and the block size. */
const capacity10Fields = {
  lastLba: number('RETURNED LOGICAL BLOCK ADDRESS', wholeBytes(0, 4), {
    notation: 'decimal',
    names: { 0xffffffff: 'too large: ask READ CAPACITY (16)' },
  }),
  blockLength: number('LOGICAL BLOCK LENGTH IN BYTES', wholeBytes(4, 4)),
};

export type Capacity10 = FieldValues<typeof capacity10Fields> & DecodeNotes;

export const decodeReadCapacity10 = (bytes: Uint8Array): Capacity10 => ({
  ...readRecord(capacity10Fields, bytes),
  truncated: bytes.length < 8,
  problems: [],
});

export const blockCount = (capacity: { readonly lastLba: number }): number => capacity.lastLba + 1;

/** READ CAPACITY (16) parameter data (SBC-4): 32 bytes, provisioning and physical block geometry too. */
const capacity16Fields = {
  lastLba: wide('RETURNED LOGICAL BLOCK ADDRESS', wholeBytes(0, 8)),
  blockLength: number('LOGICAL BLOCK LENGTH IN BYTES', wholeBytes(8, 4)),
  rcBasis: number('RC BASIS', bitsIn(12, 5, 2)),
  protectionType: number('P_TYPE', bitsIn(12, 3, 3)),
  protectionEnabled: flag('PROT_EN', 12, 0),
  protectionIntervalExponent: number('P_I_EXPONENT', bitsIn(13, 7, 4)),
  logicalBlocksPerPhysicalBlockExponent: number('LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT', bitsIn(13, 3, 4)),
  lbpme: flag('LBPME', 14, 7),
  lbprz: flag('LBPRZ', 14, 6),
  lowestAlignedLba: number('LOWEST ALIGNED LOGICAL BLOCK ADDRESS', [...bitsIn(14, 5, 6), ...wholeBytes(15, 1)]),
};

export type Capacity16 = FieldValues<typeof capacity16Fields> & DecodeNotes;

export const decodeReadCapacity16 = (bytes: Uint8Array): Capacity16 => {
  const values = readRecord(capacity16Fields, bytes);
  const problems = bytes.length >= 12 && values.blockLength === 0 ? ['LOGICAL BLOCK LENGTH IN BYTES is zero'] : [];
  return { ...values, truncated: bytes.length < 32, problems };
};

export const describeReadCapacity10 = (capacity: Capacity10): string =>
  keyValueText('READ CAPACITY (10) data', [...recordEntries(capacity10Fields, capacity), ...notesEntries(capacity)]);

export const describeReadCapacity16 = (capacity: Capacity16): string =>
  keyValueText('READ CAPACITY (16) data', [
    ...recordEntries(capacity16Fields, capacity),
    ['physical block', `${capacity.blockLength * 2 ** capacity.logicalBlocksPerPhysicalBlockExponent} bytes`],
    ...notesEntries(capacity),
  ]);
