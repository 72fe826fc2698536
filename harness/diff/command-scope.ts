import { Cdb } from '../scsi/cdb';
import { commandTable } from '../scsi/commands/command-table';
import { hexByte, serviceActionMember } from '../scsi/commands/opcode';
import { readCdbFields } from '../scsi/layout/read-cdb-fields';

/**
 * What a policy rule and a signature name a command by: its opcode and, where the opcode is a family, the
 * page it asks for (INQUIRY's VPD page or its standard data, MODE SENSE/SELECT's page code) or its service
 * action (SERVICE ACTION IN, MAINTENANCE IN/OUT, PERSISTENT RESERVE IN/OUT).
 */
export interface CommandScope {
  readonly opcode: string;
  readonly page?: string;
}

/**
 * Opcodes no command table knows are one scope: the campaign sends hundreds of them, and what a path does
 * with one it does not implement is the same finding whichever the opcode.
 */
const unknownOpcode: CommandScope = { opcode: 'unknown' };

/**
 * The command's own layout names the family member its CDB asks for; an opcode shared by service action
 * (SERVICE ACTION IN (16), MAINTENANCE IN) is scoped by the CDB's service action, known to the table or not.
 */
export const commandScope = (cdb: Cdb): CommandScope => {
  const opcode = cdb[0] ?? 0;
  const layouts = commandTable.filter((layout) => layout.opcode === opcode);
  if (layouts.length === 0) return unknownOpcode;
  const [first] = layouts;
  // A CDB shorter than its layout reads as if zero-filled: the member is still named, the missing bytes as 0.
  const whole = Buffer.alloc(Math.max(first.length, cdb.length));
  whole.set(cdb);
  const page = first.familyMember
    ? first.familyMember(readCdbFields(first, whole).values)
    : first.serviceAction !== undefined
      ? serviceActionMember((cdb[1] ?? 0) & 0x1f)
      : undefined;
  return page === undefined ? { opcode: hexByte(opcode) } : { opcode: hexByte(opcode), page };
};

export const scopeText = (scope: CommandScope): string => (scope.page ? `${scope.opcode}/${scope.page}` : scope.opcode);
