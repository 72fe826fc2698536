import { flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { MaintenanceIn, Opcode } from './opcode';

/** REPORT SUPPORTED OPERATION CODES (SPC-5), a MAINTENANCE IN command. */
export const reportSupportedOperationCodesLayout = defineCommand({
  name: 'REPORT SUPPORTED OPERATION CODES',
  opcode: Opcode.maintenanceIn,
  serviceAction: MaintenanceIn.reportSupportedOperationCodes,
  length: 12,
  direction: 'from-device',
  fields: {
    rctd: flag('RCTD', 2, 7),
    reportingOptions: number('REPORTING OPTIONS', bitsIn(2, 2, 3), {
      names: {
        0: 'all commands',
        1: 'one command, no service action',
        2: 'one command with its service action',
        3: 'one command, with its service action if it has any',
      },
      othersReserved: true,
    }),
    requestedOpcode: number('REQUESTED OPERATION CODE', wholeBytes(3, 1), { notation: 'hex' }),
    requestedServiceAction: number('REQUESTED SERVICE ACTION', wholeBytes(4, 2), { notation: 'hex' }),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(6, 4))),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
});

export const reportSupportedOperationCodes = encoderFor(reportSupportedOperationCodesLayout);
