import { CommandContext } from '../command-context';
import { DeviceState, known } from '../device-state';
import { ModelAnswer, checkCondition, completes, invalidFieldInCdb, permitting, rejects } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { selfDescribedTransfer } from './self-described';

const senseText = (key: number, asc: number, ascq: number | undefined): string =>
  `${key.toString(16)}/${asc.toString(16).padStart(2, '0')}/${ascq === undefined ? 'xx' : ascq.toString(16).padStart(2, '0')}`;

/** TEST UNIT READY, SPC-5 6.47: GOOD when the unit is ready (the stopped unit is handled before any command's own answer). */
export const testUnitReadyAnswer = (): ModelAnswer => completes({ transfer: 0 });

/**
 * REQUEST SENSE, SPC-5 6.39: GOOD with sense data as parameter data: a unit attention a reset left, the
 * stopped unit's NOT READY, or NO SENSE, NO ADDITIONAL SENSE INFORMATION. DESC asks for descriptor format,
 * which a device may not implement (INVALID FIELD IN CDB), but if it does, it uses it.
 */
export const requestSenseAnswer = (context: CommandContext): ModelAnswer => {
  const state = context.state;
  const descriptor = context.flag('desc');
  const allocation = context.number('allocationLength');
  const allowed: [number, number, number | undefined][] = [[0x0, 0x00, 0x00]];
  for (const [asc, ascq] of state.possibleAttentions) allowed.push([0x6, asc, ascq]);
  if (!state.stopped.known || state.stopped.value) allowed.push([0x2, 0x04, 0x02]);
  const answer = completes({
    transfer: selfDescribedTransfer(allocation, 8, (data) => data[7] + 8),
    data: {
      kind: 'structure',
      requirement: Requirements.requestSense,
      problems: (data) => {
        if (data.length === 0) return [];
        const code = data[0] & 0x7f;
        const expectedCode = descriptor ? 0x72 : 0x70;
        if (code !== expectedCode) return [`RESPONSE CODE is ${code.toString(16)}h, not ${expectedCode.toString(16)}h`];
        if (data.length < (descriptor ? 4 : 14)) return [];
        const [key, asc, ascq] = descriptor ? [data[1] & 0xf, data[2], data[3]] : [data[2] & 0xf, data[12], data[13]];
        const matches = allowed.some(([k, a, q]) => k === key && a === asc && (q === undefined || q === ascq));
        return matches ? [] : [`sense ${senseText(key, asc, ascq)}, expected ${allowed.map(([k, a, q]) => senseText(k, a, q)).join(' or ')}`];
      },
    },
    effect: (after) => {
      after.possibleAttentions = [];
      if (descriptor) after.choices.descriptorSense = known(true);
    },
  });
  if (!descriptor) return answer;
  const unsupported = invalidFieldInCdb(Requirements.requestSense, 1);
  if (state.choices.descriptorSense.known) return state.choices.descriptorSense.value ? answer : rejects(unsupported);
  return permitting(answer, { ...unsupported, effect: (after: DeviceState) => (after.choices.descriptorSense = known(false)) });
};

/** The power conditions START STOP UNIT names (SBC-4 5.25): which leave the unit stopped, which make it active. */
const stoppedAfter = (powerCondition: number, start: boolean, before: DeviceState['stopped']): DeviceState['stopped'] => {
  if (powerCondition === 0x0) return known(!start);
  if (powerCondition === 0x7) return before;
  return known(false);
};

/**
 * START STOP UNIT, SBC-4 5.25: with POWER CONDITION START_VALID, START 0 stops the unit and 1 starts it;
 * the other power conditions are optional. LOEJ on a medium that cannot be removed may be refused.
 */
export const startStopUnitAnswer = (context: CommandContext): ModelAnswer => {
  const powerCondition = context.number('powerCondition');
  const start = context.flag('start');
  let answer = completes({ transfer: 0, effect: (state) => (state.stopped = stoppedAfter(powerCondition, start, state.stopped)) });
  if (powerCondition !== 0) answer = permitting(answer, invalidFieldInCdb(Requirements.optionalCommand, 4, 3));
  if (context.flag('loej') || context.number('powerConditionModifier') !== 0) answer = permitting(answer, invalidFieldInCdb(Requirements.optionalCommand, 4, 3));
  return optional(context, answer);
};

/** PREVENT ALLOW MEDIUM REMOVAL, SBC-4 5.15: for a medium that cannot be removed, PREVENT may be refused; 10b and 11b are obsolete. */
export const preventAllowAnswer = (context: CommandContext): ModelAnswer => {
  const answer = completes({ transfer: 0 });
  return optional(context, context.number('prevent') === 0 ? answer : permitting(answer, invalidFieldInCdb(Requirements.optionalCommand, 4)));
};

/** The stopped unit's answer to media access and TEST UNIT READY (SBC-4 4.20.3). */
export const notReadyStopped = () =>
  checkCondition(Requirements.stopped, { key: 0x2, asc: 0x04, ascq: 0x02 }, (state) => {
    state.stopped = known(true);
  });
