import { FieldValue } from './field';
import { CommandLayout } from './command-layout';
import { lastByte, spanMask } from './field-place';
import { readField } from './record';

export interface CdbFieldsRead {
  /** Every field the bytes reach, by its key in the layout. */
  readonly values: Readonly<Record<string, FieldValue>>;
  /** The keys of the fields that lie past the end of the bytes. */
  readonly missing: readonly string[];
}

export const readCdbFields = (layout: CommandLayout, bytes: Uint8Array): CdbFieldsRead => {
  const values: Record<string, FieldValue> = {};
  const missing: string[] = [];
  for (const [key, field] of Object.entries(layout.fields)) {
    if (lastByte(field.place) < Math.min(bytes.length, layout.length)) values[key] = readField(field, bytes);
    else missing.push(key);
  }
  return { values, missing };
};

/** Per CDB byte, the bits some field (or the opcode, or a selecting service action) gives meaning to. */
export const definedBits = (layout: CommandLayout): number[] => {
  const masks = new Array<number>(layout.length).fill(0);
  masks[0] = 0xff;
  if (layout.serviceAction !== undefined) masks[1] |= 0x1f;
  for (const field of Object.values(layout.fields)) for (const span of field.place) masks[span.byte] |= spanMask(span);
  return masks;
};
