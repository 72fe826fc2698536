import { CommandContext } from '../command-context';
import { DeviceState, PersistentReservations, known, unknown } from '../device-state';
import {
  ModelAnswer,
  Rejection,
  checkCondition,
  completes,
  invalidFieldInCdb,
  invalidFieldInParameters,
  parameterListLengthError,
  permitting,
  rejects,
  reservationConflict,
  unjudged,
} from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { selfDescribedTransfer } from './self-described';

const requirement = Requirements.persistentReservation;
const conflict = (): Rejection => reservationConflict(requirement);
const reservationTypes = new Set([0x1, 0x3, 0x5, 0x6, 0x7, 0x8]);

/** SPC-5 5.13.3: while an SPC-2 RESERVE is held, PERSISTENT RESERVE IN and OUT conflict. */
const conflictsWithReserve = (state: DeviceState, answer: ModelAnswer): ModelAnswer => {
  const spc2 = reservationConflict(Requirements.reservationConflict);
  if (!state.reserved.known) return permitting(answer, spc2);
  return state.reserved.value ? rejects(spc2) : answer;
};

/**
 * What READ KEYS (one nexus: at most its own key) and READ RESERVATION must say, given what the model knows.
 * PRGENERATION is not judged: the model does not know what earlier boots' cases left it at.
 */
const persistentInProblems = (action: number, state: DeviceState) => (data: Buffer): string[] => {
  const persistent = state.persistent;
  if (!persistent.known || data.length < 8) return [];
  const { key, type } = persistent.value;
  const problems: string[] = [];
  const additional = data.readUInt32BE(4);
  if (action === 0x00) {
    const expected = key === undefined ? 0 : 8;
    if (additional !== expected) problems.push(`ADDITIONAL LENGTH is ${additional}: ${expected / 8} key(s) are registered`);
    else if (key !== undefined && data.length >= 16 && data.readBigUInt64BE(8) !== key) problems.push(`the key listed is ${data.readBigUInt64BE(8).toString(16)}h, not ${key.toString(16)}h`);
  }
  if (action === 0x01) {
    const expected = type === undefined ? 0 : 16;
    if (additional !== expected) problems.push(`ADDITIONAL LENGTH is ${additional}: ${type === undefined ? 'no reservation is' : 'a reservation is'} held`);
    else if (type !== undefined && data.length >= 22 && (data[21] & 0x0f) !== type) problems.push(`TYPE is ${data[21] & 0x0f}, not ${type}`);
  }
  return problems;
};

/** Learns from READ KEYS that nothing is registered (so nothing reserved) where the model had lost track. */
const learn = (action: number) => (state: DeviceState, data: Buffer | undefined): void => {
  if (!state.persistent.known && action === 0x00 && data && data.length >= 8 && data.readUInt32BE(4) === 0) state.persistent = known({ key: undefined, type: undefined });
};

/**
 * PERSISTENT RESERVE IN, SPC-5 6.16: READ KEYS, READ RESERVATION, REPORT CAPABILITIES (8 bytes) and the
 * optional READ FULL STATUS, each saying how long it is.
 */
export const persistentReserveInAnswer = (context: CommandContext): ModelAnswer => {
  const action = context.number('serviceAction');
  const allocation = context.number('allocationLength');
  const state = context.state;
  const transfer =
    action === 0x02 ? selfDescribedTransfer(allocation, 2, (data) => data.readUInt16BE(0)) : selfDescribedTransfer(allocation, 8, (data) => data.readUInt32BE(4) + 8);
  let answer = completes({ transfer, data: { kind: 'structure', requirement, problems: persistentInProblems(action, state) }, effect: learn(action) });
  if (action === 0x03) answer = permitting(answer, invalidFieldInCdb(requirement, 1));
  return optional(context, conflictsWithReserve(state, answer));
};

interface ParameterList {
  readonly key: bigint;
  readonly serviceActionKey: bigint;
  readonly specIPt: boolean;
  readonly allTgPt: boolean;
  readonly aptpl: boolean;
}

const parameterList = (list: Buffer): ParameterList => ({
  key: list.readBigUInt64BE(0),
  serviceActionKey: list.readBigUInt64BE(8),
  specIPt: (list[20] & 0x08) !== 0,
  allTgPt: (list[20] & 0x04) !== 0,
  aptpl: (list[20] & 0x01) !== 0,
});

type Outcome = { readonly rejection: Rejection } | { readonly after: PersistentReservations };


/** What one PERSISTENT RESERVE OUT does to the one nexus's registration and reservation (SPC-5 5.13.5-5.13.11). */
const persistentOut = (action: number, type: number, scope: number, list: ParameterList, now: PersistentReservations): Outcome | undefined => {
  const registered = now.key !== undefined;
  const ownKey = list.key === (now.key ?? 0n);
  switch (action) {
    case 0x00:
    case 0x06:
      if (action === 0x00 && !ownKey) return { rejection: conflict() };
      if (list.serviceActionKey === 0n) return registered ? { after: { ...now, key: undefined, type: undefined } } : { after: now };
      return { after: { ...now, key: list.serviceActionKey } };
    case 0x01:
      if (!registered || !ownKey) return { rejection: conflict() };
      if (!reservationTypes.has(type) || scope !== 0) return { rejection: invalidFieldInCdb(requirement, 2) };
      if (now.type !== undefined && now.type !== type) return { rejection: conflict() };
      return { after: { ...now, type } };
    case 0x02:
      if (!registered || !ownKey) return { rejection: conflict() };
      if (now.type === undefined) return { after: now };
      if (now.type !== type || scope !== 0) return { rejection: checkCondition(requirement, { key: 0x5, asc: 0x26, ascq: 0x04 }) };
      return { after: { ...now, type: undefined } };
    case 0x03:
      if (!registered || !ownKey) return { rejection: conflict() };
      return { after: { ...now, key: undefined, type: undefined } };
    default:
      return undefined;
  }
};

/**
 * PERSISTENT RESERVE OUT, SPC-5 6.17: a 24-byte parameter list (else PARAMETER LIST LENGTH ERROR); REGISTER,
 * RESERVE, RELEASE, CLEAR and REGISTER AND IGNORE EXISTING KEY followed exactly; PREEMPT and the rest leave
 * the model to learn the state again from PERSISTENT RESERVE IN. SPEC_I_PT, ALL_TG_PT and APTPL are optional.
 */
export const persistentReserveOutAnswer = (context: CommandContext): ModelAnswer => {
  const action = context.number('serviceAction');
  const length = context.number('parameterListLength');
  const state = context.state;
  const forget = (after: DeviceState) => (after.persistent = unknown);
  const unfollowed = (reason: string): ModelAnswer => ({ ...unjudged(reason), completion: { transfer: length, uncertain: forget, effect: forget } });
  if (action > 0x08) return unfollowed('a reserved service action: the reserved-value check decides');
  if (action === 0x07 || action === 0x08) return optional(context, unfollowed('REGISTER AND MOVE and REPLACE LOST RESERVATION are not modelled'));
  if (length !== 24) return optional(context, conflictsWithReserve(state, rejects(parameterListLengthError(requirement), invalidFieldInParameters(requirement, 20))));
  if (!context.parameters) return optional(context, unfollowed('the host sent less than the parameter list'));
  const list = parameterList(context.parameters);
  const optionalBits = [list.specIPt, list.allTgPt, list.aptpl].some(Boolean) ? [invalidFieldInParameters(requirement, 20)] : [];
  if (list.specIPt) return optional(context, permitting(unfollowed('SPEC_I_PT names other nexuses'), ...optionalBits));
  const persistent = state.persistent;
  const outcome = persistent.known ? persistentOut(action, context.number('type'), context.number('scope'), list, persistent.value) : undefined;
  if (!outcome) {
    // Unregistering with REGISTER AND IGNORE EXISTING KEY leaves nothing, whatever was there: the one way to learn by writing.
    if (action === 0x06 && !persistent.known && list.serviceActionKey === 0n) {
      return optional(context, conflictsWithReserve(state, permitting(completes({ transfer: length, effect: (after) => (after.persistent = known({ key: undefined, type: undefined })) }), ...optionalBits)));
    }
    return optional(context, conflictsWithReserve(state, permitting(unfollowed(persistent.known ? 'PREEMPT is not modelled' : 'the registrations are not known yet'), ...optionalBits)));
  }
  if ('rejection' in outcome) return optional(context, conflictsWithReserve(state, { ...rejects(outcome.rejection), permitted: optionalBits }));
  const after = outcome.after;
  return optional(context, conflictsWithReserve(state, permitting(completes({ transfer: length, effect: (next) => (next.persistent = known(after)) }), ...optionalBits)));
};
