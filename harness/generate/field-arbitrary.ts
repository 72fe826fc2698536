import fc from 'fast-check';
import { Field, FieldValue } from '../scsi/layout/field';
import { placeWidth } from '../scsi/layout/field-place';
import { DiskGeometry } from './disk-geometry';

/** The largest transfer a generated command asks for, in bytes: 128 blocks, past which no HBA's path behaves differently. */
export const maxGeneratedTransfer = 64 * 1024;

const maxOf = (field: Field): bigint => (1n << BigInt(placeWidth(field.place))) - 1n;

const clamp = (value: bigint, field: Field): bigint => (value > maxOf(field) ? maxOf(field) : value < 0n ? 0n : value);

/** Where emulations differ: the first block, the last, just past it, far past it, and the field's maximum. */
const lbaArbitrary = (field: Field, geometry: DiskGeometry): fc.Arbitrary<bigint> => {
  const last = BigInt(geometry.blocks - 1);
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.bigInt(0n, last) },
      { weight: 1, arbitrary: fc.constantFrom(0n, last, last + 1n, last + 8n, 1n << 31n, 1n << 32n) },
      { weight: 1, arbitrary: fc.constant(maxOf(field)) },
    )
    .map((value) => clamp(value, field));
};

const blocksArbitrary = (field: Field, geometry: DiskGeometry): fc.Arbitrary<bigint> =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.bigInt(1n, 4n) },
      { weight: 2, arbitrary: fc.bigInt(5n, 16n) },
      { weight: 1, arbitrary: fc.constant(0n) },
      { weight: 1, arbitrary: fc.bigInt(17n, BigInt(maxGeneratedTransfer / geometry.blockBytes)) },
      { weight: 1, arbitrary: fc.constant(maxOf(field)) },
    )
    .map((value) => clamp(value, field));

/** Allocation and parameter list lengths: the usual sizes, zero, odd small ones, and the field's maximum. */
const lengthArbitrary = (field: Field): fc.Arbitrary<bigint> =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.constantFrom(4n, 8n, 18n, 24n, 36n, 64n, 96n, 252n, 255n, 512n, 4096n) },
      { weight: 2, arbitrary: fc.bigInt(1n, 300n) },
      { weight: 1, arbitrary: fc.constant(0n) },
      { weight: 1, arbitrary: fc.constant(maxOf(field)) },
    )
    .map((value) => clamp(value, field));

/** Reserved, obsolete and vendor bits: zero mostly, anything now and then. */
const rarelySet = (field: Field): fc.Arbitrary<bigint> =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt(0n, maxOf(field)) });

const namedOrAny = (field: Field, names: Readonly<Record<number, string>>): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...Object.keys(names).map((key) => BigInt(key))) },
    { weight: 1, arbitrary: fc.bigInt(0n, maxOf(field)) },
  );

const asValue = (field: Field, value: bigint): FieldValue =>
  field.kind === 'flag' ? value !== 0n : field.kind === 'wide' ? value : Number(value);

/**
 * A value for one CDB field, chosen by what the field means: its key names its role across the command
 * table (`lba`, `blocks`, `allocationLength`, `parameterListLength`), named values come from the standard,
 * and everything else is mostly zero, as a real initiator sends it.
 */
export const fieldArbitrary = (key: string, field: Field, geometry: DiskGeometry): fc.Arbitrary<FieldValue> => {
  const raw =
    key === 'lba'
      ? lbaArbitrary(field, geometry)
      : key === 'blocks'
        ? blocksArbitrary(field, geometry)
        : key === 'allocationLength' || key === 'parameterListLength'
          ? lengthArbitrary(field)
          : field.kind === 'number' && field.names && Object.keys(field.names).length > 0
            ? namedOrAny(field, field.names)
            : field.kind === 'flag'
              ? fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constant(1n) })
              : rarelySet(field);
  return raw.map((value) => asValue(field, value));
};
