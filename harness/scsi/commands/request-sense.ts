import { flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

/** REQUEST SENSE (SPC-5): DESC asks for descriptor format sense data. */
export const requestSenseLayout = defineCommand({
  name: 'REQUEST SENSE',
  opcode: Opcode.requestSense,
  length: 6,
  direction: 'from-device',
  fields: { desc: flag('DESC', 1, 0), allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(4, 1))) },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
});

export const requestSense = encoderFor(requestSenseLayout);
