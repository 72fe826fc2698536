import { ExpectedTransfer } from './layout/command-layout';
import { readCdbFields } from './layout/read-cdb-fields';
import { lookUpCommand } from './commands/command-table';

export type { ExpectedTransfer } from './layout/command-layout';

/**
 * What the CDB asks to move, as the standard defines it: the allocation length for data-in commands, the
 * parameter list length for data-out ones, blocks times `blockSize` for reads and writes. Undefined when
 * the command is unknown or the CDB is shorter than the command, since then nothing says.
 */
export const expectedTransfer = (cdb: Uint8Array, blockSize: number): ExpectedTransfer | undefined => {
  const lookup = lookUpCommand(cdb);
  if (!lookup.found || cdb.length < lookup.layout.length) return undefined;
  return lookup.layout.transfer(readCdbFields(lookup.layout, cdb).values as never, blockSize);
};
