import { bigUintAt, bitAt, bitsAt, sliceAt, uintAt } from '../_internals/byte-fields';
import { DecodeNotes } from '../_internals/decode-notes';
import { hex } from '../_internals/hex';
import { SenseDescriptor, decodeSenseDescriptors } from './sense-descriptors';
import { SenseKeySpecific, decodeSenseKeySpecific } from './sense-key-specific';

/** Sense data as the device returned it, in fixed (70h/71h) or descriptor (72h/73h) format (SPC-5). */
export interface SenseData extends DecodeNotes {
  readonly format: 'fixed' | 'descriptor';
  /** A current error (70h, 72h); false for a deferred one (71h, 73h). */
  readonly current: boolean;
  readonly responseCode: number;
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  readonly additionalLength: number;
  /** Fixed format's VALID bit, or an information descriptor with its VALID bit set. */
  readonly valid: boolean;
  /** Fixed format's INFORMATION field, or the information descriptor's; undefined when there is none. */
  readonly information: bigint | undefined;
  readonly commandSpecificInformation: bigint | undefined;
  /** Undefined when SKSV is clear or there is no sense key specific descriptor. */
  readonly senseKeySpecific: SenseKeySpecific | undefined;
  readonly fieldReplaceableUnitCode: number;
  readonly filemark: boolean;
  readonly endOfMedium: boolean;
  readonly incorrectLength: boolean;
  /** SDAT_OVFL: the device had more sense data than the buffer took. */
  readonly overflow: boolean;
  /** Descriptor format's descriptors, in order; empty for fixed format. */
  readonly descriptors: readonly SenseDescriptor[];
  /** Fixed format's bytes after the 18 the standard defines (vendor specific or product specific). */
  readonly additionalSenseBytes: Buffer;
}

const senseKeyProblems = (key: number): string[] => (key === 0x0c ? [`SENSE KEY ${hex(key)} is reserved`] : []);

const decodeFixed = (bytes: Buffer, responseCode: number): SenseData => {
  const additionalLength = uintAt(bytes, 7, 1);
  const key = bitsAt(bytes, 2, 3, 4);
  const end = 8 + additionalLength;
  const problems = senseKeyProblems(key);
  // SPC-5: fields past the ADDITIONAL SENSE LENGTH are not there, whatever the buffer holds.
  if (bytes.length >= 8 && additionalLength < 6) problems.push(`ADDITIONAL SENSE LENGTH ${additionalLength} stops before ASC and ASCQ`);
  const within = bytes.subarray(0, end);
  return {
    format: 'fixed',
    current: responseCode === 0x70,
    responseCode,
    key,
    asc: uintAt(within, 12, 1),
    ascq: uintAt(within, 13, 1),
    additionalLength,
    valid: bitAt(bytes, 0, 7),
    information: bigUintAt(bytes, 3, 4),
    commandSpecificInformation: bigUintAt(within, 8, 4),
    senseKeySpecific: decodeSenseKeySpecific(key, within.subarray(15, 18)),
    fieldReplaceableUnitCode: uintAt(within, 14, 1),
    filemark: bitAt(bytes, 2, 7),
    endOfMedium: bitAt(bytes, 2, 6),
    incorrectLength: bitAt(bytes, 2, 5),
    overflow: bitAt(bytes, 2, 4),
    descriptors: [],
    additionalSenseBytes: sliceAt(within, 18, end),
    truncated: bytes.length < Math.max(8, end),
    problems,
  };
};

const decodeDescriptorFormat = (bytes: Buffer, responseCode: number): SenseData => {
  const additionalLength = uintAt(bytes, 7, 1);
  const key = bitsAt(bytes, 1, 3, 4);
  const list = decodeSenseDescriptors(bytes.subarray(8), additionalLength, key);
  const find = <K extends SenseDescriptor['kind']>(kind: K) =>
    list.descriptors.find((descriptor): descriptor is Extract<SenseDescriptor, { kind: K }> => descriptor.kind === kind);
  const information = find('information');
  const stream = find('stream commands');
  return {
    format: 'descriptor',
    current: responseCode === 0x72,
    responseCode,
    key,
    asc: uintAt(bytes, 2, 1),
    ascq: uintAt(bytes, 3, 1),
    additionalLength,
    valid: information?.valid ?? false,
    information: information?.information,
    commandSpecificInformation: find('command-specific information')?.information,
    senseKeySpecific: find('sense key specific')?.senseKeySpecific,
    fieldReplaceableUnitCode: find('field replaceable unit')?.code ?? 0,
    filemark: stream?.filemark ?? false,
    endOfMedium: stream?.endOfMedium ?? false,
    incorrectLength: (stream?.incorrectLength ?? false) || (find('block commands')?.incorrectLength ?? false),
    overflow: bitAt(bytes, 4, 7),
    descriptors: list.descriptors,
    additionalSenseBytes: Buffer.alloc(0),
    truncated: bytes.length < 8 || list.truncated,
    problems: [...senseKeyProblems(key), ...list.problems],
  };
};

/**
 * Decodes either format from the bytes the device returned; null for an empty buffer or a response code
 * that is neither (SPC-5). Never throws: short sense data decodes as far as it goes.
 */
export const decodeSense = (sense: Uint8Array): SenseData | null => {
  const bytes = Buffer.from(sense);
  if (bytes.length < 1) return null;
  const responseCode = bytes[0] & 0x7f;
  if (responseCode === 0x70 || responseCode === 0x71) return decodeFixed(bytes, responseCode);
  if (responseCode === 0x72 || responseCode === 0x73) return decodeDescriptorFormat(bytes, responseCode);
  return null;
};
