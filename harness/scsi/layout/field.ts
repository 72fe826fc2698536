import { hex } from '../_internals/hex';
import { FieldPlace, bitsIn, placeWidth, wholeBytes } from './field-place';

/**
 * One named field of a byte structure the standards draw as a table of bytes and bits: a CDB, a mode
 * page, a VPD page. Encoders, decoders and printers all work from these.
 */
interface FieldBase {
  /** The field's name as the standard's table spells it, e.g. `LOGICAL BLOCK ADDRESS`. */
  readonly label: string;
  readonly place: FieldPlace;
  /** Whether an encoder must be given it; every other field defaults to zero. */
  readonly required: boolean;
}

export interface FlagField extends FieldBase {
  readonly kind: 'flag';
}

export interface NumberField extends FieldBase {
  readonly kind: 'number';
  readonly notation: 'decimal' | 'hex';
  /** Names of the values the standard defines, printed beside the number. */
  readonly names?: Readonly<Record<number, string>>;
  /** Every value without a name is reserved, so a decoder flags it. */
  readonly othersReserved: boolean;
}

/** Wider than a number stays exact (logical block addresses, reservation keys): a bigint. */
export interface WideField extends FieldBase {
  readonly kind: 'wide';
  readonly notation: 'decimal' | 'hex';
}

/** ASCII text, left-aligned and padded with spaces (SPC-5). */
export interface TextField extends FieldBase {
  readonly kind: 'text';
}

export type Field = FlagField | NumberField | WideField | TextField;

export type FieldValue = boolean | number | bigint | string;

/** A logical block address, which 16-byte CDBs and READ CAPACITY (16) carry in 64 bits. */
export type Lba = bigint;

export type ValueOf<F extends Field> = F extends FlagField ? boolean : F extends WideField ? bigint : F extends TextField ? string : number;
/** Encoders take a wide field as a number too, for the common small values. */
export type InputOf<F extends Field> = F extends WideField ? number | bigint : ValueOf<F>;

export const flag = (label: string, byte: number, bit: number): FlagField => ({ kind: 'flag', label, place: bitsIn(byte, bit), required: false });

interface NumberOptions {
  readonly notation?: 'decimal' | 'hex';
  readonly names?: Readonly<Record<number, string>>;
  readonly othersReserved?: boolean;
}

export const number = (label: string, place: FieldPlace, options: NumberOptions = {}): NumberField => {
  if (placeWidth(place) > 48) throw new RangeError(`${label}: numbers stop being exact past 48 bits; make it wide`);
  return {
    kind: 'number',
    label,
    place,
    required: false,
    notation: options.notation ?? (options.names ? 'hex' : 'decimal'),
    names: options.names,
    othersReserved: options.othersReserved ?? false,
  };
};

export const wide = (label: string, place: FieldPlace, notation: 'decimal' | 'hex' = 'decimal'): WideField => ({
  kind: 'wide',
  label,
  place,
  required: false,
  notation,
});

export const text = (label: string, first: number, count: number): TextField => ({ kind: 'text', label, place: wholeBytes(first, count), required: false });

export const required = <F extends Field>(field: F): F & { readonly required: true } => ({ ...field, required: true });

const numberShown = (field: NumberField | WideField, value: number | bigint): string => {
  const digits = Math.max(2, Math.ceil(placeWidth(field.place) / 4));
  if (field.notation === 'hex') return hex(value, field.kind === 'wide' ? digits : Math.min(digits, 8));
  return field.kind === 'wide' && value >= 10n ? `${value} (${hex(value)})` : `${value}`;
};

/** A field's value as a person reads it: `1`, `96`, `83h (device identification)`, `4660 (1234h)`. */
export const fieldText = (field: Field, value: FieldValue): string => {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return JSON.stringify(value);
  if (field.kind !== 'number' && field.kind !== 'wide') return `${value}`;
  const shown = numberShown(field, value);
  if (field.kind === 'wide') return shown;
  const name = field.names?.[Number(value)];
  if (name) return `${shown} (${name})`;
  return field.othersReserved ? `${shown} (reserved)` : shown;
};

/** What a decoder says about a value the standard reserves. */
export const fieldValueProblem = (field: Field, value: FieldValue): string | undefined =>
  field.kind === 'number' && field.othersReserved && field.names?.[Number(value)] === undefined
    ? `${field.label} ${numberShown(field, Number(value))} is reserved`
    : undefined;
