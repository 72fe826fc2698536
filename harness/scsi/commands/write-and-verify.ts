import { number, required } from '../layout/field';
import { dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { dpo, groupNumber, lba10, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

const writeAndVerifyFlags = {
  wrprotect: protectionField('WRPROTECT'),
  dpo,
  // SBC-4: only 00b (verify the medium) and 01b (compare with the data sent) are defined here.
  bytchk: number('BYTCHK', bitsIn(1, 2, 2), { names: { 0: 'no data compared', 1: 'compare with the data sent' }, othersReserved: true }),
};

/** WRITE AND VERIFY (10) (SBC-4). */
export const writeAndVerify10Layout = defineCommand({
  name: 'WRITE AND VERIFY (10)',
  opcode: Opcode.writeAndVerify10,
  length: 10,
  direction: 'to-device',
  fields: { ...writeAndVerifyFlags, lba: lba10, group: groupNumber(6), blocks: required(number('TRANSFER LENGTH', wholeBytes(7, 2))) },
  transfer: ({ blocks }, blockSize) => dataOut(blocks * blockSize),
});

/** WRITE AND VERIFY (16) (SBC-4). */
export const writeAndVerify16Layout = defineCommand({
  name: 'WRITE AND VERIFY (16)',
  opcode: Opcode.writeAndVerify16,
  length: 16,
  direction: 'to-device',
  fields: { ...writeAndVerifyFlags, lba: lba16, blocks: required(number('TRANSFER LENGTH', wholeBytes(10, 4))), group: groupNumber(14) },
  transfer: ({ blocks }, blockSize) => dataOut(blocks * blockSize),
});

export const writeAndVerify10 = encoderFor(writeAndVerify10Layout);
export const writeAndVerify16 = encoderFor(writeAndVerify16Layout);
