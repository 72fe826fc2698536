import { fc, test } from '@fast-check/jest';
import { decodeCdb, describeCdb } from '../../../harness/scsi/decode-cdb';
import { cdbLengthOfGroup } from '../../../harness/scsi/commands/group-code';
import { encodeCdb } from '../../../harness/scsi/layout/encode-cdb';
import { commandTable } from '../../../harness/scsi/opcodes';
import { fieldValuesArbitrary } from './field-arbitraries';

describe.each(commandTable.map((layout) => [layout.name, layout] as const))('%s', (_, layout) => {
  test.prop([fieldValuesArbitrary(layout.fields)])('decodeCdb names the command and gives back every field encoded', (values) => {
    const decoded = decodeCdb(encodeCdb(layout, values as never));
    expect(decoded.name).toBe(layout.name);
    expect(decoded.bytes).toHaveLength(layout.length);
    expect(Object.fromEntries(Object.entries(decoded.fields).map(([key, field]) => [key, field.value]))).toEqual(values);
  });

  test.prop([fieldValuesArbitrary(layout.fields)])('an encoder sets no bit outside its fields, so no reserved bit shows up', (values) => {
    const problems = decodeCdb(encodeCdb(layout, values as never)).problems;
    expect(problems.filter((problem) => /reserved or obsolete bits .* byte \d/.test(problem) || /this CDB has/.test(problem))).toEqual([]);
  });

  it("is as long as its opcode's group code says", () => {
    expect(layout.length).toBe(cdbLengthOfGroup(layout.opcode));
  });
});

describe('decodeCdb on any bytes', () => {
  test.prop([fc.uint8Array({ maxLength: 40 })])('never throws, names something, and prints', (bytes) => {
    const decoded = decodeCdb(bytes);
    expect(decoded.name.length).toBeGreaterThan(0);
    expect(decoded.bytes.equals(Buffer.from(bytes))).toBe(true);
    expect(describeCdb(decoded).startsWith(decoded.name)).toBe(true);
  });

  test.prop([fc.constantFrom(...commandTable), fc.integer({ min: 2, max: 20 })])('says when a known command has the wrong length', (layout, length) => {
    fc.pre(length !== layout.length);
    const bytes = Buffer.alloc(length);
    bytes[0] = layout.opcode;
    bytes[1] = layout.serviceAction ?? 0;
    const decoded = decodeCdb(bytes);
    expect(decoded.name).toBe(layout.name);
    expect(decoded.problems).toContain(`${layout.name} is ${layout.length} bytes; this CDB has ${length}`);
  });
});
