import { TextEntry } from '../_internals/key-value-text';
import { Field, FieldValue, InputOf, ValueOf, fieldText } from './field';
import { lastByte, placeWidth, readPlace, writePlace } from './field-place';

/** A byte structure's fields by the keys code uses for them. */
export type Fields = Readonly<Record<string, Field>>;

export type RequiredKeys<Fs extends Fields> = { [K in keyof Fs]: Fs[K] extends { readonly required: true } ? K : never }[keyof Fs];

/** What an encoder takes: the required fields, and any of the others (zero when left out). */
export type FieldInputs<Fs extends Fields> = { readonly [K in RequiredKeys<Fs>]: InputOf<Fs[K]> } & {
  readonly [K in Exclude<keyof Fs, RequiredKeys<Fs>>]?: InputOf<Fs[K]>;
};

/** Every field, decoded. */
export type FieldValues<Fs extends Fields> = { readonly [K in keyof Fs]: ValueOf<Fs[K]> };

/** One field's value from `bytes`; bits past the end read as zero and text as spaces. */
export const readField = (field: Field, bytes: Uint8Array): FieldValue => {
  if (field.kind === 'text') {
    return Buffer.from(bytes.subarray(field.place[0].byte, lastByte(field.place) + 1)).toString('latin1').replace(/[\s\0]+$/, '');
  }
  const raw = readPlace(bytes, field.place);
  return field.kind === 'flag' ? raw !== 0n : field.kind === 'number' ? Number(raw) : raw;
};

export const readRecord = <Fs extends Fields>(fields: Fs, bytes: Uint8Array): FieldValues<Fs> =>
  Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, readField(field, bytes)])) as FieldValues<Fs>;

/** The bits an encoder writes for `input`; a value that does not fit is a mistake in the test, so it throws. */
const fieldBits = (field: Exclude<Field, { kind: 'text' }>, input: FieldValue): bigint => {
  if (field.kind === 'flag') {
    if (typeof input !== 'boolean') throw new TypeError(`${field.label} is a flag, not ${typeof input}`);
    return input ? 1n : 0n;
  }
  if (typeof input !== 'number' && typeof input !== 'bigint') throw new TypeError(`${field.label} is a number, not ${typeof input}`);
  if (typeof input === 'number' && !Number.isSafeInteger(input)) throw new RangeError(`${field.label}: ${input} is not an integer`);
  const value = BigInt(input);
  const width = placeWidth(field.place);
  if (value < 0n || value >= 1n << BigInt(width)) throw new RangeError(`${field.label}: ${input} does not fit in ${width} bits`);
  return value;
};

const writeField = (field: Field, input: FieldValue, into: Uint8Array): void => {
  if (field.kind !== 'text') return writePlace(into, field.place, fieldBits(field, input));
  const width = field.place.length;
  if (typeof input !== 'string' || input.length > width || !/^[\x20-\x7e]*$/.test(input)) {
    throw new RangeError(`${field.label}: ${JSON.stringify(input)} is not ASCII text of at most ${width} characters`);
  }
  Buffer.from(input.padEnd(width, ' '), 'latin1').copy(into, field.place[0].byte);
};

/** Writes every field given into `into`, leaving the other bits as they are. */
export const writeRecord = <Fs extends Fields>(fields: Fs, inputs: FieldInputs<Fs>, into: Uint8Array): void => {
  const given = inputs as Readonly<Record<string, FieldValue | undefined>>;
  for (const [key, field] of Object.entries(fields)) {
    const input = given[key];
    if (input !== undefined) writeField(field, input, into);
  }
};

/**
 * `label: value` entries for the number and text fields, in order, then one `flags` entry naming the flags
 * that are set: how a decoded structure prints.
 */
export const recordEntries = <Fs extends Fields>(fields: Fs, values: FieldValues<Fs>): TextEntry[] => {
  const byKey = values as Readonly<Record<string, FieldValue>>;
  const flags = Object.entries(fields).filter(([, field]) => field.kind === 'flag');
  const entries: TextEntry[] = Object.entries(fields)
    .filter(([, field]) => field.kind !== 'flag')
    .map(([key, field]) => [field.label, fieldText(field, byKey[key])]);
  if (flags.length === 0) return entries;
  const set = flags.filter(([key]) => byKey[key] === true).map(([, field]) => field.label);
  return [...entries, ['flags set', set.join(' ') || 'none']];
};
