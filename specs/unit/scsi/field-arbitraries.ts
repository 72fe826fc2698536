import { fc } from '@fast-check/jest';
import { Field, FieldValue } from '../../../harness/scsi/layout/field';
import { placeWidth } from '../../../harness/scsi/layout/field-place';
import { Fields } from '../../../harness/scsi/layout/record';

/** Any value that fits the field, as an encoder takes it and a decoder gives it back. */
export const fieldValueArbitrary = (field: Field): fc.Arbitrary<FieldValue> => {
  const width = placeWidth(field.place);
  switch (field.kind) {
    case 'flag':
      return fc.boolean();
    case 'number':
      return fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n }).map(Number);
    case 'wide':
      return fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n });
    case 'text':
      return fc.stringMatching(new RegExp(`^[\\x21-\\x7e]([\\x20-\\x7e]{0,${width - 2}}[\\x21-\\x7e])?$`));
  }
};

/** A value for every field of a structure, keyed as its layout keys them. */
export const fieldValuesArbitrary = (fields: Fields): fc.Arbitrary<Record<string, FieldValue>> =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, fieldValueArbitrary(field)])));
