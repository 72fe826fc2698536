import { DecodeNotes, notesEntries } from '../_internals/decode-notes';
import { hex, hexBytes } from '../_internals/hex';
import { TextEntry, keyValueText } from '../_internals/key-value-text';
import { flag, number } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../layout/record';
import { commandTable, lookUpCommand } from '../commands/command-table';
import { serviceActionOpcodeNames } from '../commands/opcode';

// REPORT SUPPORTED OPERATION CODES parameter data (SPC-5), in both its forms.

const commandDescriptorFields = {
  opcode: number('OPERATION CODE', wholeBytes(0, 1), { notation: 'hex' }),
  serviceAction: number('SERVICE ACTION', wholeBytes(2, 2), { notation: 'hex' }),
  ctdp: flag('CTDP', 5, 1),
  servactv: flag('SERVACTV', 5, 0),
  cdbLength: number('CDB LENGTH', wholeBytes(6, 2)),
};

/** Follows a command's description when CTDP is set; timeouts are in seconds. */
const timeoutsFields = {
  descriptorLength: number('DESCRIPTOR LENGTH', wholeBytes(0, 2)),
  commandSpecific: number('COMMAND SPECIFIC', wholeBytes(3, 1), { notation: 'hex' }),
  nominalTimeout: number('NOMINAL COMMAND PROCESSING TIMEOUT', wholeBytes(4, 4)),
  recommendedTimeout: number('RECOMMENDED COMMAND TIMEOUT', wholeBytes(8, 4)),
};

export type CommandTimeouts = FieldValues<typeof timeoutsFields>;

export type SupportedCommand = FieldValues<typeof commandDescriptorFields> & {
  /** The command's name if the command table knows it. */
  readonly name: string | undefined;
  readonly timeouts: CommandTimeouts | undefined;
};

export interface SupportedCommands extends DecodeNotes {
  readonly commandDataLength: number;
  readonly commands: readonly SupportedCommand[];
}

const commandName = (opcode: number, serviceAction: number | undefined): string | undefined => {
  const lookup = lookUpCommand(Uint8Array.of(opcode, serviceAction ?? 0));
  if (lookup.found) return lookup.layout.name;
  return serviceActionOpcodeNames[opcode];
};

const timeoutsLength = 12;

/** The all-commands form (REPORTING OPTIONS 000b): a list of command descriptors. */
export const decodeSupportedOperationCodes = (bytes: Uint8Array): SupportedCommands => {
  const data = Buffer.from(bytes);
  const commandDataLength = data.length >= 4 ? data.readUInt32BE(0) : 0;
  const end = 4 + commandDataLength;
  const commands: SupportedCommand[] = [];
  const problems: string[] = [];
  let offset = 4;
  while (offset + 8 <= Math.min(end, data.length)) {
    const descriptor = readRecord(commandDescriptorFields, data.subarray(offset));
    const timeouts = descriptor.ctdp ? readRecord(timeoutsFields, data.subarray(offset + 8, offset + 8 + timeoutsLength)) : undefined;
    commands.push({ ...descriptor, name: commandName(descriptor.opcode, descriptor.servactv ? descriptor.serviceAction : undefined), timeouts });
    offset += 8 + (descriptor.ctdp ? timeoutsLength : 0);
  }
  if (offset > end) problems.push('the last command descriptor runs past COMMAND DATA LENGTH');
  return { commandDataLength, commands, truncated: data.length < Math.max(4, end), problems };
};

const oneCommandFields = {
  ctdp: flag('CTDP', 1, 7),
  support: number('SUPPORT', bitsIn(1, 2, 3), {
    names: {
      0: 'not available',
      1: 'not supported',
      3: 'supported as the standard defines it',
      5: 'supported in a vendor specific manner',
    },
    othersReserved: true,
  }),
  cdbSize: number('CDB SIZE', wholeBytes(2, 2)),
};

export type SupportedCommand1 = FieldValues<typeof oneCommandFields> &
  DecodeNotes & {
    /** The CDB usage map: the opcode, the service action if any, then which bits the device uses. */
    readonly usageData: Buffer;
    readonly timeouts: CommandTimeouts | undefined;
  };

/** SPC-5: the usage data's first bytes hold the command's opcode and service action, not a mask. */
const usageDataProblems = (usage: Buffer): string[] => {
  if (usage.length < 2) return [];
  const selecting = commandTable.filter((layout) => layout.opcode === usage[0] && layout.serviceAction !== undefined);
  if (selecting.length === 0 || selecting.some((layout) => layout.serviceAction === (usage[1] & 0x1f))) return [];
  return [`CDB USAGE DATA byte 1 holds service action ${hex(usage[1] & 0x1f)}, which ${serviceActionOpcodeNames[usage[0]]} does not define`];
};

/** The one-command form (REPORTING OPTIONS 001b to 011b). */
export const decodeSupportedOperationCode = (bytes: Uint8Array): SupportedCommand1 => {
  const values = readRecord(oneCommandFields, bytes);
  const usageEnd = 4 + values.cdbSize;
  const usageData = Buffer.from(bytes.subarray(4, usageEnd));
  const timeouts = values.ctdp ? readRecord(timeoutsFields, bytes.subarray(usageEnd, usageEnd + timeoutsLength)) : undefined;
  const end = usageEnd + (values.ctdp ? timeoutsLength : 0);
  return { ...values, usageData, timeouts, truncated: bytes.length < Math.max(4, end), problems: usageDataProblems(usageData) };
};

const timeoutsText = (timeouts: CommandTimeouts): string => `nominal ${timeouts.nominalTimeout} s, recommended ${timeouts.recommendedTimeout} s`;

export const describeSupportedOperationCodes = (data: SupportedCommands): string =>
  keyValueText('REPORT SUPPORTED OPERATION CODES data (all commands)', [
    ['COMMAND DATA LENGTH', `${data.commandDataLength}`],
    ...data.commands.map((command): TextEntry => [
      `${hex(command.opcode)}${command.servactv ? `/${hex(command.serviceAction, 4)}` : ''}`,
      `${command.name ?? 'unknown'}, ${command.cdbLength}-byte CDB${command.timeouts ? `, timeouts ${timeoutsText(command.timeouts)}` : ''}`,
    ]),
    ...notesEntries(data),
  ]);

export const describeSupportedOperationCode = (data: SupportedCommand1): string =>
  keyValueText('REPORT SUPPORTED OPERATION CODES data (one command)', [
    ...recordEntries(oneCommandFields, data),
    ['CDB USAGE DATA', hexBytes(data.usageData) || 'none'],
    ...(data.timeouts ? [['timeouts', timeoutsText(data.timeouts)] as TextEntry] : []),
    ...notesEntries(data),
  ]);
