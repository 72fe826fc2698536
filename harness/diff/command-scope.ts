import { Cdb } from '../scsi/cdb';
import { commandTable } from '../scsi/commands/command-table';

const hex2 = (value: number): string => value.toString(16).padStart(2, '0');

/**
 * What a policy rule and a signature name a command by: its opcode and, where the opcode is a family, the
 * page it asks for (INQUIRY's VPD page or its standard data, MODE SENSE/SELECT's page code) or its service
 * action (SERVICE ACTION IN, MAINTENANCE IN/OUT, PERSISTENT RESERVE IN/OUT).
 */
export interface CommandScope {
  readonly opcode: string;
  readonly page?: string;
}

const serviceActionOpcodes = new Set([0x9e, 0x9f, 0xa3, 0xa4, 0x5e, 0x5f, 0x7f]);

/**
 * Opcodes no command table knows are one scope: the campaign sends hundreds of them, and what a path does
 * with one it does not implement is the same finding whichever the opcode.
 */
const unknownOpcode: CommandScope = { opcode: 'unknown' };

export const commandScope = (cdb: Cdb): CommandScope => {
  const opcode = cdb[0] ?? 0;
  if (!commandTable.some((layout) => layout.opcode === opcode)) return unknownOpcode;
  if (opcode === 0x12) return { opcode: '12', page: (cdb[1] ?? 0) & 1 ? hex2(cdb[2] ?? 0) : 'standard' };
  if (opcode === 0x1a || opcode === 0x5a || opcode === 0x15 || opcode === 0x55) {
    const page = opcode === 0x15 || opcode === 0x55 ? undefined : hex2((cdb[2] ?? 0) & 0x3f);
    return page === undefined ? { opcode: hex2(opcode) } : { opcode: hex2(opcode), page };
  }
  if (serviceActionOpcodes.has(opcode)) return { opcode: hex2(opcode), page: `sa${hex2((cdb[1] ?? 0) & 0x1f)}` };
  return { opcode: hex2(opcode) };
};

export const scopeText = (scope: CommandScope): string => (scope.page ? `${scope.opcode}/${scope.page}` : scope.opcode);
