import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { hex } from '../_internals/hex';
import { TextEntry, keyValueText } from '../_internals/key-value-text';
import { flag, number, wide } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../layout/record';
import { persistentReservationTypeNames } from '../commands/persistent-reserve';

// PERSISTENT RESERVE IN parameter data (SPC-5): READ KEYS, READ RESERVATION, REPORT CAPABILITIES.

const generationFields = {
  generation: number('PRGENERATION', wholeBytes(0, 4)),
  additionalLength: number('ADDITIONAL LENGTH', wholeBytes(4, 4)),
};

export type ReservationKey = bigint;

export type RegisteredKeys = FieldValues<typeof generationFields> & DecodeNotes & { readonly keys: readonly ReservationKey[] };

export const decodeReadKeys = (bytes: Uint8Array): RegisteredKeys => {
  const header = readRecord(generationFields, bytes);
  const data = Buffer.from(bytes);
  const end = 8 + header.additionalLength;
  const keys: ReservationKey[] = [];
  for (let offset = 8; offset + 8 <= Math.min(end, data.length); offset += 8) keys.push(data.readBigUInt64BE(offset));
  const problems = header.additionalLength % 8 !== 0 ? [`ADDITIONAL LENGTH ${header.additionalLength} is not a multiple of 8`] : [];
  return { ...header, keys, truncated: data.length < end, problems };
};

const reservationFields = {
  key: wide('RESERVATION KEY', wholeBytes(8, 8), 'hex'),
  scope: number('SCOPE', bitsIn(21, 7, 4), { names: { 0: 'LU_SCOPE' }, othersReserved: true }),
  type: number('TYPE', bitsIn(21, 3, 4), { names: persistentReservationTypeNames, othersReserved: true }),
};

export type Reservation = FieldValues<typeof reservationFields>;

export type CurrentReservation = FieldValues<typeof generationFields> &
  DecodeNotes & {
    /** Undefined when no persistent reservation is held (ADDITIONAL LENGTH 0). */
    readonly reservation: Reservation | undefined;
  };

export const decodeReadReservation = (bytes: Uint8Array): CurrentReservation => {
  const header = readRecord(generationFields, bytes);
  const problems = ![0, 16].includes(header.additionalLength) ? [`ADDITIONAL LENGTH ${header.additionalLength}; SPC-5 allows 0 or 16`] : [];
  const reservation = header.additionalLength > 0 ? readRecord(reservationFields, bytes) : undefined;
  return { ...header, reservation, truncated: bytes.length < 8 + Math.min(header.additionalLength, 16), problems };
};

const capabilitiesFields = {
  length: number('LENGTH', wholeBytes(0, 2)),
  rlrC: flag('RLR_C', 2, 7),
  crh: flag('CRH', 2, 4),
  sipC: flag('SIP_C', 2, 3),
  atpC: flag('ATP_C', 2, 2),
  ptplC: flag('PTPL_C', 2, 0),
  tmv: flag('TMV', 3, 7),
  allowCommands: number('ALLOW COMMANDS', bitsIn(3, 6, 3)),
  ptplA: flag('PTPL_A', 3, 0),
  typeMask: number('PERSISTENT RESERVATION TYPE MASK', wholeBytes(4, 2), { notation: 'hex' }),
};

export type ReservationCapabilities = FieldValues<typeof capabilitiesFields> & DecodeNotes;

export const decodeReportCapabilities = (bytes: Uint8Array): ReservationCapabilities => {
  const values = readRecord(capabilitiesFields, bytes);
  const problems = bytes.length >= 2 && values.length !== 8 ? [`LENGTH ${values.length}; SPC-5 gives 8`] : [];
  return { ...values, truncated: bytes.length < 8, problems };
};

/** The type mask's bits by the type each stands for (SPC-5, Persistent Reservation Type Mask). */
const typeMaskBits: readonly (readonly [bit: number, type: number])[] = [
  [15, 0x7],
  [14, 0x6],
  [13, 0x5],
  [11, 0x3],
  [9, 0x1],
  [0, 0x8],
];

/** The reservation types the mask says the device supports. */
export const supportedReservationTypes = (capabilities: ReservationCapabilities): string[] =>
  typeMaskBits.filter(([bit]) => (capabilities.typeMask >> bit) & 1).map(([, type]) => persistentReservationTypeNames[type]);

export const describeReadKeys = (keys: RegisteredKeys): string =>
  keyValueText('PERSISTENT RESERVE IN data (READ KEYS)', [
    ...recordEntries(generationFields, keys),
    ['keys', keys.keys.map((key) => hex(key, 16)).join(', ') || 'none'],
    ...notesEntries(keys),
  ]);

export const describeReadReservation = (current: CurrentReservation): string =>
  keyValueText('PERSISTENT RESERVE IN data (READ RESERVATION)', [
    ...recordEntries(generationFields, current),
    ...(current.reservation ? recordEntries(reservationFields, current.reservation) : [['reservation', 'none'] as TextEntry]),
    ...notesEntries(current),
  ]);

export const describeReportCapabilities = (capabilities: ReservationCapabilities): string =>
  keyValueText('PERSISTENT RESERVE IN data (REPORT CAPABILITIES)', [
    ...recordEntries(capabilitiesFields, capabilities),
    ['types', capabilities.tmv ? supportedReservationTypes(capabilities).join(', ') || 'none' : 'TMV clear: mask not valid'],
    ...notesEntries(capabilities),
  ]);
