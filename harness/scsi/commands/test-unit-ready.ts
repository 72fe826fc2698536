import { defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { Opcode } from './opcode';

/** TEST UNIT READY (SPC-5). */
export const testUnitReadyLayout = defineCommand({
  name: 'TEST UNIT READY',
  opcode: Opcode.testUnitReady,
  length: 6,
  direction: 'none',
  fields: {},
  transfer: () => noData,
});

export const testUnitReady = encoderFor(testUnitReadyLayout);
