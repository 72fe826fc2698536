import { flag, number } from '../layout/field';
import { defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn } from '../layout/field-place';
import { Opcode } from './opcode';

/** START STOP UNIT (SBC-4): START and LOEJ act only when POWER CONDITION is START_VALID. */
export const startStopUnitLayout = defineCommand({
  name: 'START STOP UNIT',
  opcode: Opcode.startStopUnit,
  length: 6,
  direction: 'none',
  fields: {
    immed: flag('IMMED', 1, 0),
    powerConditionModifier: number('POWER CONDITION MODIFIER', bitsIn(3, 3, 4)),
    powerCondition: number('POWER CONDITION', bitsIn(4, 7, 4), {
      names: { 0x0: 'START_VALID', 0x1: 'ACTIVE', 0x2: 'IDLE', 0x3: 'STANDBY', 0x7: 'LU_CONTROL', 0xa: 'FORCE_IDLE_0', 0xb: 'FORCE_STANDBY_0' },
      othersReserved: true,
    }),
    noFlush: flag('NO_FLUSH', 4, 2),
    loej: flag('LOEJ', 4, 1),
    start: flag('START', 4, 0),
  },
  transfer: () => noData,
});

export const startStopUnit = encoderFor(startStopUnitLayout);
