import { number, required } from '../layout/field';
import { dataIn, dataOut, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { Opcode, serviceActionMember } from './opcode';

/** PERSISTENT RESERVE IN service actions (SPC-5). */
export const PersistentReserveInAction = { readKeys: 0x00, readReservation: 0x01, reportCapabilities: 0x02, readFullStatus: 0x03 } as const;

/** PERSISTENT RESERVE OUT service actions (SPC-5). */
export const PersistentReserveOutAction = {
  register: 0x00,
  reserve: 0x01,
  release: 0x02,
  clear: 0x03,
  preempt: 0x04,
  preemptAndAbort: 0x05,
  registerAndIgnoreExistingKey: 0x06,
  registerAndMove: 0x07,
  replaceLostReservation: 0x08,
} as const;

/** Persistent reservation types (SPC-5, Table "Persistent reservation type codes"). */
export const persistentReservationTypeNames: Readonly<Record<number, string>> = {
  0x1: 'Write Exclusive',
  0x3: 'Exclusive Access',
  0x5: 'Write Exclusive - Registrants Only',
  0x6: 'Exclusive Access - Registrants Only',
  0x7: 'Write Exclusive - All Registrants',
  0x8: 'Exclusive Access - All Registrants',
};

export const persistentReserveInLayout = defineCommand({
  name: 'PERSISTENT RESERVE IN',
  opcode: Opcode.persistentReserveIn,
  length: 10,
  direction: 'from-device',
  fields: {
    serviceAction: required(
      number('SERVICE ACTION', bitsIn(1, 4, 5), {
        names: { 0x00: 'READ KEYS', 0x01: 'READ RESERVATION', 0x02: 'REPORT CAPABILITIES', 0x03: 'READ FULL STATUS' },
        othersReserved: true,
      }),
    ),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(7, 2))),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  familyMember: ({ serviceAction }) => serviceActionMember(serviceAction),
});

export const persistentReserveOutLayout = defineCommand({
  name: 'PERSISTENT RESERVE OUT',
  opcode: Opcode.persistentReserveOut,
  length: 10,
  direction: 'to-device',
  fields: {
    serviceAction: required(
      number('SERVICE ACTION', bitsIn(1, 4, 5), {
        names: {
          0x00: 'REGISTER',
          0x01: 'RESERVE',
          0x02: 'RELEASE',
          0x03: 'CLEAR',
          0x04: 'PREEMPT',
          0x05: 'PREEMPT AND ABORT',
          0x06: 'REGISTER AND IGNORE EXISTING KEY',
          0x07: 'REGISTER AND MOVE',
          0x08: 'REPLACE LOST RESERVATION',
        },
        othersReserved: true,
      }),
    ),
    scope: number('SCOPE', bitsIn(2, 7, 4), { names: { 0x0: 'LU_SCOPE' }, othersReserved: true }),
    type: number('TYPE', bitsIn(2, 3, 4), { names: persistentReservationTypeNames }),
    parameterListLength: required(number('PARAMETER LIST LENGTH', wholeBytes(5, 4))),
  },
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
  familyMember: ({ serviceAction }) => serviceActionMember(serviceAction),
});

export const persistentReserveIn = encoderFor(persistentReserveInLayout);
export const persistentReserveOut = encoderFor(persistentReserveOutLayout);
