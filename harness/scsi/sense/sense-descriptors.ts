import { hex, hexBytes } from '../_internals/hex';
import { flag, number, wide } from '../layout/field';
import { scatteredBytes, wholeBytes } from '../layout/field-place';
import { FieldValues, Fields, readRecord } from '../layout/record';
import { SenseKeySpecific, decodeSenseKeySpecific, describeSenseKeySpecific } from './sense-key-specific';

// Descriptor format sense data carries its details in descriptors (SPC-5); offsets count from
// the descriptor's first byte, as the standard's tables do.

const informationFields = { valid: flag('VALID', 2, 7), information: wide('INFORMATION', wholeBytes(4, 8), 'hex') };
const commandSpecificFields = { information: wide('COMMAND-SPECIFIC INFORMATION', wholeBytes(4, 8), 'hex') };
const fieldReplaceableUnitFields = { code: number('FIELD REPLACEABLE UNIT CODE', wholeBytes(3, 1), { notation: 'hex' }) };
const streamCommandsFields = { filemark: flag('FILEMARK', 3, 7), endOfMedium: flag('EOM', 3, 6), incorrectLength: flag('ILI', 3, 5) };
const blockCommandsFields = { incorrectLength: flag('ILI', 3, 5) };
/** SAT-4: the ATA registers after the command, the 48-bit LBA's bytes interleaved as in the CDB. */
const ataStatusReturnFields = {
  extend: flag('EXTEND', 2, 0),
  error: number('ERROR', wholeBytes(3, 1), { notation: 'hex' }),
  count: number('COUNT', wholeBytes(4, 2)),
  lba: number('LBA', scatteredBytes(10, 8, 6, 11, 9, 7), { notation: 'hex' }),
  device: number('DEVICE', wholeBytes(12, 1), { notation: 'hex' }),
  status: number('STATUS', wholeBytes(13, 1), { notation: 'hex' }),
};

export type SenseDescriptor =
  | ({ readonly kind: 'information' } & FieldValues<typeof informationFields>)
  | ({ readonly kind: 'command-specific information' } & FieldValues<typeof commandSpecificFields>)
  | { readonly kind: 'sense key specific'; readonly senseKeySpecific: SenseKeySpecific | undefined }
  | ({ readonly kind: 'field replaceable unit' } & FieldValues<typeof fieldReplaceableUnitFields>)
  | ({ readonly kind: 'stream commands' } & FieldValues<typeof streamCommandsFields>)
  | ({ readonly kind: 'block commands' } & FieldValues<typeof blockCommandsFields>)
  | ({ readonly kind: 'ATA status return' } & FieldValues<typeof ataStatusReturnFields>)
  /** A descriptor type this layer does not take apart: its bytes, header included. */
  | { readonly kind: 'other'; readonly type: number; readonly bytes: Buffer };

interface KnownDescriptor {
  readonly name: string;
  /** The ADDITIONAL LENGTH the standard gives this descriptor type. */
  readonly additionalLength: number;
  decode(bytes: Uint8Array, key: number): SenseDescriptor;
}

const record =
  <Fs extends Fields, K extends SenseDescriptor['kind']>(kind: K, fields: Fs) =>
  (bytes: Uint8Array) =>
    ({ kind, ...readRecord(fields, bytes) }) as unknown as SenseDescriptor;

const knownDescriptors: Readonly<Record<number, KnownDescriptor>> = {
  0x00: { name: 'information', additionalLength: 0x0a, decode: record('information', informationFields) },
  0x01: { name: 'command-specific information', additionalLength: 0x0a, decode: record('command-specific information', commandSpecificFields) },
  0x02: {
    name: 'sense key specific',
    additionalLength: 0x06,
    decode: (bytes, key) => ({ kind: 'sense key specific', senseKeySpecific: decodeSenseKeySpecific(key, bytes.subarray(4, 7)) }),
  },
  0x03: { name: 'field replaceable unit', additionalLength: 0x02, decode: record('field replaceable unit', fieldReplaceableUnitFields) },
  0x04: { name: 'stream commands', additionalLength: 0x02, decode: record('stream commands', streamCommandsFields) },
  0x05: { name: 'block commands', additionalLength: 0x02, decode: record('block commands', blockCommandsFields) },
  0x09: { name: 'ATA status return', additionalLength: 0x0c, decode: record('ATA status return', ataStatusReturnFields) },
};

export interface SenseDescriptorList {
  readonly descriptors: readonly SenseDescriptor[];
  readonly truncated: boolean;
  readonly problems: readonly string[];
}

/**
 * The descriptors in `area` (sense bytes 8 on, as many as came), which the ADDITIONAL SENSE LENGTH says
 * holds `declaredLength` bytes.
 */
export const decodeSenseDescriptors = (area: Uint8Array, declaredLength: number, key: number): SenseDescriptorList => {
  const descriptors: SenseDescriptor[] = [];
  const problems: string[] = [];
  let truncated = area.length < declaredLength;
  const end = Math.min(area.length, declaredLength);
  for (let offset = 0; offset < end; ) {
    const type = area[offset];
    const length = area[offset + 1] ?? 0;
    const bytes = area.subarray(offset, offset + 2 + length);
    if (offset + 2 + length > declaredLength) problems.push(`descriptor ${hex(type)} runs past the ADDITIONAL SENSE LENGTH`);
    else if (bytes.length < 2 + length) truncated = true;
    const known = knownDescriptors[type];
    if (known && length !== known.additionalLength) {
      problems.push(`${known.name} descriptor has ADDITIONAL LENGTH ${hex(length)}; SPC-5 gives it ${hex(known.additionalLength)}`);
    }
    descriptors.push(known ? known.decode(bytes, key) : { kind: 'other', type, bytes: Buffer.from(bytes) });
    offset += 2 + length;
  }
  return { descriptors, truncated, problems };
};

/** One descriptor in a few words, for the line a sense description is. */
export const describeSenseDescriptor = (descriptor: SenseDescriptor): string => {
  switch (descriptor.kind) {
    case 'information':
      return `information ${hex(descriptor.information, 16)}${descriptor.valid ? '' : ' (VALID clear)'}`;
    case 'command-specific information':
      return `command-specific information ${hex(descriptor.information, 16)}`;
    case 'sense key specific':
      return descriptor.senseKeySpecific ? describeSenseKeySpecific(descriptor.senseKeySpecific) : 'sense key specific (SKSV clear)';
    case 'field replaceable unit':
      return `field replaceable unit ${hex(descriptor.code)}`;
    case 'stream commands':
      return ['FILEMARK', 'EOM', 'ILI'].filter((_, index) => [descriptor.filemark, descriptor.endOfMedium, descriptor.incorrectLength][index]).join(' ') || 'stream commands (no flags)';
    case 'block commands':
      return descriptor.incorrectLength ? 'ILI' : 'block commands (ILI clear)';
    case 'ATA status return':
      return `ATA status ${hex(descriptor.status)} error ${hex(descriptor.error)} count ${descriptor.count} LBA ${hex(descriptor.lba)} device ${hex(descriptor.device)}${descriptor.extend ? ' (48-bit)' : ''}`;
    case 'other':
      return `descriptor ${hex(descriptor.type)}: ${hexBytes(descriptor.bytes)}`;
  }
};
