import { flag, number, required } from '../layout/field';
import { dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { groupNumber } from './_block-fields';
import { Opcode } from './opcode';

/** UNMAP (SBC-4): the block descriptors go out as its parameter list. */
export const unmapLayout = defineCommand({
  name: 'UNMAP',
  opcode: Opcode.unmap,
  length: 10,
  direction: 'to-device',
  fields: {
    anchor: flag('ANCHOR', 1, 0),
    group: groupNumber(6),
    parameterListLength: required(number('PARAMETER LIST LENGTH', wholeBytes(7, 2))),
  },
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
});

export const unmap = encoderFor(unmapLayout);
