import { CommandContext } from '../command-context';
import { DeviceState, known, unknown } from '../device-state';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, reservationConflict, rejects, unjudged } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';

/**
 * SPC-5 5.13.3 (exceptions to SPC-2 RESERVE and RELEASE): while any nexus is registered for persistent
 * reservations, RESERVE and RELEASE conflict.
 */
const conflictsWithRegistration = (state: DeviceState, answer: ModelAnswer): ModelAnswer => {
  const persistent = state.persistent;
  const conflict = reservationConflict(Requirements.reservationConflict);
  if (!persistent.known) return permitting(answer, conflict);
  return persistent.value.key !== undefined ? rejects(conflict) : answer;
};

/**
 * RESERVE (6/10) and RELEASE (6/10), SPC-2 7.21-7.24: optional; RESERVE gives this nexus the logical unit,
 * RELEASE gives it back (releasing what is not reserved is no error). Third-party reservations are the
 * device's to implement or refuse, and the model does not follow them.
 */
export const reserveReleaseAnswer = (context: CommandContext): ModelAnswer => {
  const reserving = context.layout.opcode === 0x16 || context.layout.opcode === 0x56;
  if ('thirdParty' in context.layout.fields && (context.flag('thirdParty') || context.flag('longId'))) {
    return optional(context, { ...unjudged('third-party reservations are not modelled'), completion: { transfer: 0, uncertain: (state) => (state.reserved = unknown) } });
  }
  const listLength = 'parameterListLength' in context.layout.fields ? context.number('parameterListLength') : 0;
  // SPC-2: without LONGID the parameter list means nothing; a device may fetch it or not, or refuse it.
  let answer = completes({ transfer: listLength === 0 ? 0 : () => undefined, effect: (state) => (state.reserved = known(reserving)) });
  if (listLength !== 0) answer = permitting(answer, invalidFieldInCdb(Requirements.reservedBits, 7, 8));
  return optional(context, conflictsWithRegistration(context.state, answer));
};
