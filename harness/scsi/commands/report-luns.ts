import { number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

/** REPORT LUNS (SPC-5). */
export const reportLunsLayout = defineCommand({
  name: 'REPORT LUNS',
  opcode: Opcode.reportLuns,
  length: 12,
  direction: 'from-device',
  fields: {
    selectReport: number('SELECT REPORT', wholeBytes(2, 1), {
      names: {
        0x00: 'logical units but well known ones',
        0x01: 'well known logical units',
        0x02: 'all logical units',
        0x10: 'administrative logical units',
        0x11: 'administrative logical units and their subsidiaries',
        0x12: 'subsidiary logical units of the addressed administrative one',
      },
    }),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(6, 4))),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
});

export const reportLuns = encoderFor(reportLunsLayout);
