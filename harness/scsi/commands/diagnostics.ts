import { flag, number, required } from '../layout/field';
import { dataIn, dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

/** SEND DIAGNOSTIC (SPC-5): SELFTEST runs the default self-test; a SELF-TEST CODE picks another. */
export const sendDiagnosticLayout = defineCommand({
  name: 'SEND DIAGNOSTIC',
  opcode: Opcode.sendDiagnostic,
  length: 6,
  direction: 'to-device',
  fields: {
    selfTestCode: number('SELF-TEST CODE', bitsIn(1, 7, 3), {
      names: {
        0: 'none',
        1: 'background short self-test',
        2: 'background extended self-test',
        4: 'abort background self-test',
        5: 'foreground short self-test',
        6: 'foreground extended self-test',
      },
      othersReserved: true,
    }),
    pf: flag('PF', 1, 4),
    selfTest: flag('SELFTEST', 1, 2),
    devOffl: flag('DEVOFFL', 1, 1),
    unitOffl: flag('UNITOFFL', 1, 0),
    parameterListLength: number('PARAMETER LIST LENGTH', wholeBytes(3, 2)),
  },
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
  // SPC-5: a self-test code asks for one test, SELFTEST for the default one; not both.
  oddities: ({ selfTestCode, selfTest }) => (selfTestCode !== 0 && selfTest ? ['SELF-TEST CODE is set together with SELFTEST'] : []),
});

/** RECEIVE DIAGNOSTIC RESULTS (SPC-5): PCV says PAGE CODE is meant. */
export const receiveDiagnosticResultsLayout = defineCommand({
  name: 'RECEIVE DIAGNOSTIC RESULTS',
  opcode: Opcode.receiveDiagnosticResults,
  length: 6,
  direction: 'from-device',
  fields: {
    pcv: flag('PCV', 1, 0),
    pageCode: number('PAGE CODE', wholeBytes(2, 1), { notation: 'hex' }),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(3, 2))),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  oddities: ({ pcv, pageCode }) => (!pcv && pageCode !== 0 ? ['PAGE CODE is set but PCV is not'] : []),
});

export const sendDiagnostic = encoderFor(sendDiagnosticLayout);
export const receiveDiagnosticResults = encoderFor(receiveDiagnosticResultsLayout);
