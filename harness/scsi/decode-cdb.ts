import { cdb as toCdb, cdbToHex, Cdb } from './cdb';
import { hex } from './_internals/hex';
import { keyValueText, TextEntry } from './_internals/key-value-text';
import { FieldValue, fieldText, fieldValueProblem } from './layout/field';
import { CommandLayout } from './layout/command-layout';
import { definedBits, readCdbFields } from './layout/read-cdb-fields';
import { lookUpCommand } from './commands/command-table';
import { cdbLengthOfGroup, groupCode } from './commands/group-code';
import { serviceActionOpcodeNames } from './commands/opcode';

export interface DecodedCdbField {
  /** The standard's name for the field, e.g. `TRANSFER LENGTH`. */
  readonly label: string;
  readonly value: FieldValue;
  /** The value as printed: `96`, `1`, `83h (device identification)`. */
  readonly text: string;
  /** A field an encoder must be given; the others print only when set. */
  readonly required: boolean;
}

/** Any CDB, named and taken apart, with what is odd about it in words. */
export interface DecodedCdb {
  readonly bytes: Cdb;
  /** The command's name, or what the opcode says when the command is unknown. */
  readonly name: string;
  readonly opcode: number | undefined;
  /** Fields by their encoder keys (`lba`, `blocks`, `fua`, …), in CDB order. */
  readonly fields: Readonly<Record<string, DecodedCdbField>>;
  readonly problems: readonly string[];
}

// SAM-5: CONTROL bits 5-3 are reserved and bits 1-0 obsolete (once FLAG and LINK).
const controlOddBits = 0x3b;

const unknownCommand = (bytes: Cdb, serviceActionOpcode: boolean): DecodedCdb => {
  const opcode = bytes[0];
  const groupLength = cdbLengthOfGroup(opcode);
  const problems = serviceActionOpcode
    ? [`service action ${hex(bytes[1] & 0x1f)} of ${serviceActionOpcodeNames[opcode]} is not one this table knows`]
    : groupLength === undefined
      ? [`operation code ${hex(opcode)} is in group ${groupCode(opcode)}, ${groupCode(opcode) === 3 ? 'reserved' : 'vendor specific'}`]
      : [`operation code ${hex(opcode)} is not one this table knows`];
  if (groupLength !== undefined && groupLength !== bytes.length) problems.push(`group ${groupCode(opcode)} CDBs are ${groupLength} bytes; this one has ${bytes.length}`);
  const name = serviceActionOpcode ? `${serviceActionOpcodeNames[opcode]}, service action ${hex(bytes[1] & 0x1f)}` : `operation code ${hex(opcode)}`;
  return { bytes, name, opcode, fields: {}, problems };
};

const reservedBitProblems = (layout: CommandLayout, bytes: Cdb): string[] =>
  definedBits(layout).flatMap((mask, index) => {
    const stray = (bytes[index] ?? 0) & ~mask & 0xff;
    return stray === 0 ? [] : [`reserved or obsolete bits ${hex(stray)} are set in byte ${index}`];
  });

const knownCommand = (layout: CommandLayout, bytes: Cdb): DecodedCdb => {
  const { values, missing } = readCdbFields(layout, bytes);
  const fields: Record<string, DecodedCdbField> = {};
  const problems: string[] = [];
  if (bytes.length !== layout.length) problems.push(`${layout.name} is ${layout.length} bytes; this CDB has ${bytes.length}`);
  if (missing.length > 0) problems.push(`the CDB ends before ${missing.map((key) => layout.fields[key].label).join(', ')}`);
  problems.push(...reservedBitProblems(layout, bytes));
  for (const [key, value] of Object.entries(values)) {
    const field = layout.fields[key];
    fields[key] = { label: field.label, value, text: fieldText(field, value), required: field.required };
    const reserved = fieldValueProblem(field, value);
    if (reserved) problems.push(reserved);
  }
  const control = values.control;
  if (typeof control === 'number' && (control & controlOddBits) !== 0) {
    problems.push(`reserved or obsolete bits ${hex(control & controlOddBits)} are set in the CONTROL byte`);
  }
  if (missing.length === 0) problems.push(...layout.oddities(values as never));
  return { bytes, name: layout.name, opcode: layout.opcode, fields, problems };
};

/** Names any CDB and its fields; never throws, and says what is odd (length, reserved bits, values). */
export const decodeCdb = (cdb: Uint8Array): DecodedCdb => {
  const bytes = toCdb(cdb);
  if (bytes.length === 0) return { bytes, name: 'empty CDB', opcode: undefined, fields: {}, problems: ['the CDB has no bytes'] };
  const lookup = lookUpCommand(bytes);
  return lookup.found ? knownCommand(lookup.layout, bytes) : unknownCommand(bytes, lookup.serviceActionOpcode);
};

const isSet = (value: FieldValue): boolean => value !== false && value !== 0 && value !== 0n && value !== '';

/** The command's name and bytes, then its required fields and every other field that is set. */
export const describeCdb = (decoded: DecodedCdb): string => {
  const entries: TextEntry[] = Object.values(decoded.fields)
    .filter((field) => field.required || isSet(field.value))
    .map((field) => [field.label, field.text]);
  entries.push(...decoded.problems.map((problem): TextEntry => ['problem', problem]));
  const title = decoded.bytes.length === 0 ? decoded.name : `${decoded.name}: ${cdbToHex(decoded.bytes)}`;
  return keyValueText(title, entries);
};
