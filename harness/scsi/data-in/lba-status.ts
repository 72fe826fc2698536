import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { TextEntry, keyValueText } from '../_internals/key-value-text';
import { number, wide } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../layout/record';

/** One LBA status descriptor (SBC-4, GET LBA STATUS parameter data): an extent and how it is provisioned. */
const lbaStatusDescriptorFields = {
  lba: wide('LBA STATUS LOGICAL BLOCK ADDRESS', wholeBytes(0, 8)),
  blocks: number('NUMBER OF LOGICAL BLOCKS', wholeBytes(8, 4)),
  provisioningStatus: number('PROVISIONING STATUS', bitsIn(12, 3, 4), {
    names: { 0: 'mapped or unknown', 1: 'deallocated', 2: 'anchored', 3: 'mapped', 4: 'unknown' },
    othersReserved: true,
  }),
  additionalStatus: number('ADDITIONAL STATUS', wholeBytes(13, 1), { notation: 'hex' }),
};

export type LbaStatusDescriptor = FieldValues<typeof lbaStatusDescriptorFields>;

export interface LbaStatus extends DecodeNotes {
  readonly parameterDataLength: number;
  readonly descriptors: readonly LbaStatusDescriptor[];
}

const descriptorLength = 16;

export const decodeLbaStatus = (bytes: Uint8Array): LbaStatus => {
  const parameterDataLength = bytes.length >= 4 ? Buffer.from(bytes).readUInt32BE(0) : 0;
  // PARAMETER DATA LENGTH counts the bytes after itself: 4 reserved, then the descriptors.
  const end = 4 + parameterDataLength;
  const descriptors: LbaStatusDescriptor[] = [];
  for (let offset = 8; offset + descriptorLength <= Math.min(end, bytes.length); offset += descriptorLength) {
    descriptors.push(readRecord(lbaStatusDescriptorFields, bytes.subarray(offset)));
  }
  const problems = bytes.length >= 4 && (parameterDataLength < 4 || (parameterDataLength - 4) % descriptorLength !== 0)
    ? [`PARAMETER DATA LENGTH ${parameterDataLength} is not 4 plus whole 16-byte descriptors`]
    : [];
  return { parameterDataLength, descriptors, truncated: bytes.length < Math.max(8, end), problems };
};

export const describeLbaStatus = (status: LbaStatus): string =>
  keyValueText('GET LBA STATUS data', [
    ['PARAMETER DATA LENGTH', `${status.parameterDataLength}`],
    ...status.descriptors.map((descriptor, index): TextEntry => [`descriptor ${index + 1}`, recordEntries(lbaStatusDescriptorFields, descriptor)]),
    ...notesEntries(status),
  ]);
