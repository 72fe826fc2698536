import { Cdb, cdb } from '../cdb';
import { CommandLayout, WithControl } from './command-layout';
import { FieldInputs, Fields, RequiredKeys, writeRecord } from './record';

/** The CDB bytes for `inputs`: opcode, service action where one selects the command, then every field given. */
export const encodeCdb = <Fs extends Fields>(layout: CommandLayout<Fs>, inputs: FieldInputs<WithControl<Fs>>): Cdb => {
  const bytes = Buffer.alloc(layout.length);
  bytes[0] = layout.opcode;
  if (layout.serviceAction !== undefined) bytes[1] = layout.serviceAction;
  writeRecord(layout.fields, inputs, bytes);
  return cdb(bytes);
};

/** An encoder takes no argument at all when none of its fields is required. */
export type EncoderArguments<Fs extends Fields> = [RequiredKeys<Fs>] extends [never] ? [inputs?: FieldInputs<Fs>] : [inputs: FieldInputs<Fs>];

export const encoderFor =
  <Fs extends Fields>(layout: CommandLayout<Fs>) =>
  (...[inputs]: EncoderArguments<WithControl<Fs>>): Cdb =>
    encodeCdb(layout, inputs ?? ({} as FieldInputs<WithControl<Fs>>));
