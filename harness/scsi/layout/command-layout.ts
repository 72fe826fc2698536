import { DataDirection } from '../cdb';
import { NumberField, number } from './field';
import { wholeBytes } from './field-place';
import { FieldValues, Fields } from './record';

/** How many bytes a command moves and which way, as its CDB asks; 0 bytes always goes with `none`. */
export interface ExpectedTransfer {
  readonly direction: DataDirection;
  readonly bytes: number;
}

/** The direction data moves when it moves at all, for the table; ATA PASS-THROUGH's T_DIR decides per CDB. */
export type CommandDirection = DataDirection | 'per CDB';

/** The CONTROL byte, last in every CDB (SAM-5): vendor bits 7-6, NACA bit 2, the rest reserved or obsolete. */
export type WithControl<Fs extends Fields> = Fs & { readonly control: NumberField };

/** One command's CDB, field by field: what encoders write, decoders name, and the expected transfer reads. */
export interface CommandLayout<Fs extends Fields = Fields> {
  /** As the standard's command tables name it, e.g. `READ (10)`. */
  readonly name: string;
  readonly opcode: number;
  /** For opcodes shared through a SERVICE ACTION field (byte 1 bits 4-0), the one that selects this command. */
  readonly serviceAction?: number;
  readonly length: number;
  readonly direction: CommandDirection;
  readonly fields: WithControl<Fs>;
  transfer(fields: FieldValues<Fs>, blockSize: number): ExpectedTransfer;
  /** Combinations of fields the standard forbids, beyond single reserved values. */
  oddities(fields: FieldValues<Fs>): readonly string[];
  /**
   * Where one opcode is a family, the member a CDB asks for, as policy rules and signatures name it: INQUIRY's
   * VPD page or `standard`, MODE SENSE's page code, a service action (`sa10`). Absent: the opcode says it all.
   */
  familyMember?(fields: FieldValues<Fs>): string;
}

interface CommandSpec<Fs extends Fields> {
  readonly name: string;
  readonly opcode: number;
  readonly serviceAction?: number;
  readonly length: number;
  readonly direction: CommandDirection;
  readonly fields: Fs;
  transfer(fields: FieldValues<Fs>, blockSize: number): ExpectedTransfer;
  oddities?(fields: FieldValues<Fs>): readonly string[];
  familyMember?(fields: FieldValues<Fs>): string;
}

export const defineCommand = <Fs extends Fields>(spec: CommandSpec<Fs>): CommandLayout<Fs> => ({
  ...spec,
  fields: { ...spec.fields, control: number('CONTROL', wholeBytes(spec.length - 1, 1), { notation: 'hex' }) },
  oddities: spec.oddities ?? (() => []),
});

const moved = (direction: DataDirection, bytes: number): ExpectedTransfer => (bytes === 0 ? noData : { direction, bytes });

export const noData: ExpectedTransfer = { direction: 'none', bytes: 0 };
export const dataIn = (bytes: number): ExpectedTransfer => moved('from-device', bytes);
export const dataOut = (bytes: number): ExpectedTransfer => moved('to-device', bytes);
