import { number, required } from '../layout/field';
import { dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { dpo, fua, groupNumber, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

/** COMPARE AND WRITE (SBC-4): the data out is the blocks to compare, then as many to write. */
export const compareAndWriteLayout = defineCommand({
  name: 'COMPARE AND WRITE',
  opcode: Opcode.compareAndWrite,
  length: 16,
  direction: 'to-device',
  fields: {
    wrprotect: protectionField('WRPROTECT'),
    dpo,
    fua,
    lba: lba16,
    blocks: required(number('NUMBER OF LOGICAL BLOCKS', wholeBytes(13, 1))),
    group: groupNumber(14),
  },
  transfer: ({ blocks }, blockSize) => dataOut(2 * blocks * blockSize),
});

export const compareAndWrite = encoderFor(compareAndWriteLayout);
