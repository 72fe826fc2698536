import { wide, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode, ServiceActionIn16 } from './opcode';

/** GET LBA STATUS (16) (SBC-4), a SERVICE ACTION IN (16) command. */
export const getLbaStatusLayout = defineCommand({
  name: 'GET LBA STATUS (16)',
  opcode: Opcode.serviceActionIn16,
  serviceAction: ServiceActionIn16.getLbaStatus,
  length: 16,
  direction: 'from-device',
  fields: {
    lba: wide('STARTING LOGICAL BLOCK ADDRESS', wholeBytes(2, 8)),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(10, 4))),
    reportType: number('REPORT TYPE', wholeBytes(14, 1), {
      names: {
        0x00: 'all LBAs',
        0x01: 'LBAs with nonzero provisioning status',
        0x02: 'mapped LBAs',
        0x03: 'deallocated LBAs',
        0x04: 'anchored LBAs',
        0x10: 'LBAs that may return an unrecovered error',
      },
      othersReserved: true,
    }),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
});

export const getLbaStatus = encoderFor(getLbaStatusLayout);
