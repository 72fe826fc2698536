import { flag, number, required } from '../layout/field';
import { dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

/** PF: pages follow the standard's format; RTD (SPC-5): revert to defaults; SP: save the pages. */
const selectFlags = { pf: flag('PF', 1, 4), rtd: flag('RTD', 1, 1), sp: flag('SP', 1, 0) };

/** MODE SELECT (6) (SPC-5). */
export const modeSelect6Layout = defineCommand({
  name: 'MODE SELECT (6)',
  opcode: Opcode.modeSelect6,
  length: 6,
  direction: 'to-device',
  fields: { ...selectFlags, parameterListLength: required(number('PARAMETER LIST LENGTH', wholeBytes(4, 1))) },
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
});

/** MODE SELECT (10) (SPC-5). */
export const modeSelect10Layout = defineCommand({
  name: 'MODE SELECT (10)',
  opcode: Opcode.modeSelect10,
  length: 10,
  direction: 'to-device',
  fields: { ...selectFlags, parameterListLength: required(number('PARAMETER LIST LENGTH', wholeBytes(7, 2))) },
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
});

export const modeSelect6 = encoderFor(modeSelect6Layout);
export const modeSelect10 = encoderFor(modeSelect10Layout);
