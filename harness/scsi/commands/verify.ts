import { number, required } from '../layout/field';
import { ExpectedTransfer, dataOut, defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { byteCheck, dpo, groupNumber, lba10, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

/** SBC-4: data moves only when BYTCHK asks for a compare, and 11b sends a single block. */
const verifyTransfer = ({ bytchk, blocks }: { bytchk: number; blocks: number }, blockSize: number): ExpectedTransfer =>
  bytchk === 1 ? dataOut(blocks * blockSize) : bytchk === 3 && blocks > 0 ? dataOut(blockSize) : noData;

const verifyFlags = { vrprotect: protectionField('VRPROTECT'), dpo, bytchk: byteCheck };

/** VERIFY (10) (SBC-4). */
export const verify10Layout = defineCommand({
  name: 'VERIFY (10)',
  opcode: Opcode.verify10,
  length: 10,
  direction: 'to-device',
  fields: { ...verifyFlags, lba: lba10, group: groupNumber(6), blocks: required(number('VERIFICATION LENGTH', wholeBytes(7, 2))) },
  transfer: verifyTransfer,
});

/** VERIFY (16) (SBC-4). */
export const verify16Layout = defineCommand({
  name: 'VERIFY (16)',
  opcode: Opcode.verify16,
  length: 16,
  direction: 'to-device',
  fields: { ...verifyFlags, lba: lba16, blocks: required(number('VERIFICATION LENGTH', wholeBytes(10, 4))), group: groupNumber(14) },
  transfer: verifyTransfer,
});

export const verify10 = encoderFor(verify10Layout);
export const verify16 = encoderFor(verify16Layout);
