import { wide, flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { dpo, durationLimitFields, fua, groupNumber, lba10, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

/** READ (6) (SBC-4): a TRANSFER LENGTH of 0 asks for 256 blocks. */
export const read6Layout = defineCommand({
  name: 'READ (6)',
  opcode: Opcode.read6,
  length: 6,
  direction: 'from-device',
  fields: {
    lba: required(wide('LOGICAL BLOCK ADDRESS', [...bitsIn(1, 4, 5), ...wholeBytes(2, 2)])),
    blocks: required(number('TRANSFER LENGTH', wholeBytes(4, 1))),
  },
  transfer: ({ blocks }, blockSize) => dataIn((blocks || 256) * blockSize),
});

const rarc = flag('RARC', 1, 2);
const readFlags = { rdprotect: protectionField('RDPROTECT'), dpo, fua, rarc };

export const read10Layout = defineCommand({
  name: 'READ (10)',
  opcode: Opcode.read10,
  length: 10,
  direction: 'from-device',
  fields: { ...readFlags, lba: lba10, group: groupNumber(6), blocks: required(number('TRANSFER LENGTH', wholeBytes(7, 2))) },
  transfer: ({ blocks }, blockSize) => dataIn(blocks * blockSize),
});

export const read12Layout = defineCommand({
  name: 'READ (12)',
  opcode: Opcode.read12,
  length: 12,
  direction: 'from-device',
  fields: { ...readFlags, lba: lba10, blocks: required(number('TRANSFER LENGTH', wholeBytes(6, 4))), group: groupNumber(10) },
  transfer: ({ blocks }, blockSize) => dataIn(blocks * blockSize),
});

export const read16Layout = defineCommand({
  name: 'READ (16)',
  opcode: Opcode.read16,
  length: 16,
  direction: 'from-device',
  fields: {
    ...readFlags,
    lba: lba16,
    blocks: required(number('TRANSFER LENGTH', wholeBytes(10, 4))),
    group: groupNumber(14),
    ...durationLimitFields,
  },
  transfer: ({ blocks }, blockSize) => dataIn(blocks * blockSize),
});

export const read6 = encoderFor(read6Layout);
export const read10 = encoderFor(read10Layout);
export const read12 = encoderFor(read12Layout);
export const read16 = encoderFor(read16Layout);
