import { wide, flag, number } from '../layout/field';
import { defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { groupNumber } from './_block-fields';
import { Opcode } from './opcode';

const immed = flag('IMMED', 1, 1);

/** SYNCHRONIZE CACHE (10) (SBC-4): zero blocks means from the LBA to the end of the medium. */
export const synchronizeCache10Layout = defineCommand({
  name: 'SYNCHRONIZE CACHE (10)',
  opcode: Opcode.synchronizeCache10,
  length: 10,
  direction: 'none',
  fields: {
    immed,
    lba: wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 4)),
    group: groupNumber(6),
    blocks: number('NUMBER OF LOGICAL BLOCKS', wholeBytes(7, 2)),
  },
  transfer: () => noData,
});

/** SYNCHRONIZE CACHE (16) (SBC-4). */
export const synchronizeCache16Layout = defineCommand({
  name: 'SYNCHRONIZE CACHE (16)',
  opcode: Opcode.synchronizeCache16,
  length: 16,
  direction: 'none',
  fields: {
    immed,
    lba: wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 8)),
    blocks: number('NUMBER OF LOGICAL BLOCKS', wholeBytes(10, 4)),
    group: groupNumber(14),
  },
  transfer: () => noData,
});

export const synchronizeCache10 = encoderFor(synchronizeCache10Layout);
export const synchronizeCache16 = encoderFor(synchronizeCache16Layout);
