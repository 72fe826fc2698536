import { wide, number, required } from '../layout/field';
import { dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { dpo, durationLimitFields, fua, groupNumber, lba10, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

/** WRITE (6) (SBC-4): a TRANSFER LENGTH of 0 sends 256 blocks. */
export const write6Layout = defineCommand({
  name: 'WRITE (6)',
  opcode: Opcode.write6,
  length: 6,
  direction: 'to-device',
  fields: {
    lba: required(wide('LOGICAL BLOCK ADDRESS', [...bitsIn(1, 4, 5), ...wholeBytes(2, 2)])),
    blocks: required(number('TRANSFER LENGTH', wholeBytes(4, 1))),
  },
  transfer: ({ blocks }, blockSize) => dataOut((blocks || 256) * blockSize),
});

const writeFlags = { wrprotect: protectionField('WRPROTECT'), dpo, fua };

export const write10Layout = defineCommand({
  name: 'WRITE (10)',
  opcode: Opcode.write10,
  length: 10,
  direction: 'to-device',
  fields: { ...writeFlags, lba: lba10, group: groupNumber(6), blocks: required(number('TRANSFER LENGTH', wholeBytes(7, 2))) },
  transfer: ({ blocks }, blockSize) => dataOut(blocks * blockSize),
});

export const write12Layout = defineCommand({
  name: 'WRITE (12)',
  opcode: Opcode.write12,
  length: 12,
  direction: 'to-device',
  fields: { ...writeFlags, lba: lba10, blocks: required(number('TRANSFER LENGTH', wholeBytes(6, 4))), group: groupNumber(10) },
  transfer: ({ blocks }, blockSize) => dataOut(blocks * blockSize),
});

export const write16Layout = defineCommand({
  name: 'WRITE (16)',
  opcode: Opcode.write16,
  length: 16,
  direction: 'to-device',
  fields: {
    ...writeFlags,
    lba: lba16,
    blocks: required(number('TRANSFER LENGTH', wholeBytes(10, 4))),
    group: groupNumber(14),
    ...durationLimitFields,
  },
  transfer: ({ blocks }, blockSize) => dataOut(blocks * blockSize),
});

export const write6 = encoderFor(write6Layout);
export const write10 = encoderFor(write10Layout);
export const write12 = encoderFor(write12Layout);
export const write16 = encoderFor(write16Layout);
