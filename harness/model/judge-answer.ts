import { CommandOutcome } from '../execute/step-outcome';
import { fnv1a64 } from '../guest/wire/fnv1a64';
import { expectedTransfer } from '../scsi/expected-transfer';
import { transferredBytes } from '../scsi/outcome';
import { decodeSense, SenseData } from '../scsi/sense';
import { statusName } from '../scsi/status';
import { describeAlternatives, describeExpectedSense, describeRejection, senseCode } from './describe-answer';
import { DeviceState } from './device-state';
import { Completion, DataExpectation, ModelAnswer, Rejection, isNotImplemented } from './model-answer';
import { Requirement, Requirements } from './requirement';

/** One way a device's answer departs from what the standard requires. */
export interface Departure {
  readonly field: 'status' | 'hostStatus' | 'sense' | 'residual' | 'data';
  readonly expected: string;
  readonly actual: string;
  readonly requirement: Requirement;
}

/** Byte ranges of data-in a model policy rule says not to judge. */
export type MaskedRanges = readonly (readonly [number, number])[];

const Status = { good: 0x00, checkCondition: 0x02, conditionMet: 0x04, busy: 0x08, reservationConflict: 0x18, taskSetFull: 0x28 } as const;


const actualSenseText = (sense: SenseData | null): string => (sense ? senseCode(sense.key, sense.asc, sense.ascq) : 'no sense data');

const senseMatches = (rejection: Rejection, sense: SenseData | null): boolean =>
  rejection.status === 'CHECK CONDITION' &&
  rejection.sense !== undefined &&
  sense !== null &&
  sense.key === rejection.sense.key &&
  sense.asc === rejection.sense.asc &&
  (rejection.sense.ascq === undefined || sense.ascq === rejection.sense.ascq);

/** What the field pointer and INFORMATION say, where the standard lets the model check them. */
const senseDetailProblem = (rejection: Rejection, sense: SenseData): string | undefined => {
  const expected = rejection.sense;
  const specific = sense.senseKeySpecific;
  if (expected?.pointer && specific?.kind === 'field pointer') {
    const inPlace = specific.inCdb === expected.pointer.inCdb && expected.pointer.bytes.includes(specific.byte);
    if (!inPlace) return `field pointer ${specific.inCdb ? 'CDB' : 'parameter data'} byte ${specific.byte}`;
  }
  if (expected?.information !== undefined && sense.valid && sense.information !== expected.information) return `INFORMATION ${sense.information}`;
  return undefined;
};

const expectedDetail = (rejection: Rejection): string => {
  const sense = rejection.sense;
  if (sense?.pointer) return `${describeExpectedSense(sense)} field pointer ${sense.pointer.inCdb ? 'CDB' : 'parameter data'} byte ${sense.pointer.bytes.join('/')}`;
  return sense?.information !== undefined ? `${describeExpectedSense(sense)} INFORMATION ${sense.information}` : describeRejection(rejection);
};

/**
 * The host buffer goes the way the CDB asks and holds at least what it asks for: then the standard says what
 * moves. A buffer the other way, or one for a command no table describes, is the transport's business.
 */
const bufferFits = (outcome: CommandOutcome, blockBytes: number): boolean => {
  const asked = expectedTransfer(outcome.command.cdb, blockBytes) ?? { direction: 'unknown', bytes: 0 };
  if (asked.direction === 'unknown') return false;
  return outcome.command.direction === asked.direction && outcome.command.length >= asked.bytes;
};

/** The host buffer goes the way the CDB asks (shorter or longer): the residual is then the device's to get right. */
const sameDirection = (outcome: CommandOutcome, blockBytes: number): boolean =>
  expectedTransfer(outcome.command.cdb, blockBytes)?.direction === outcome.command.direction;

const transferOf = (completion: Completion, outcome: CommandOutcome): number | undefined =>
  typeof completion.transfer === 'number' ? completion.transfer : outcome.dataIn ? completion.transfer(outcome.dataIn) : undefined;

/** The residual the device must report: the host buffer less what it moved; a data-out buffer too short says nothing. */
const residualDeparture = (transfer: number | undefined, outcome: CommandOutcome, fits: boolean, aligned: boolean): Departure[] => {
  const length = outcome.command.length;
  if (transfer === undefined || !aligned) return [];
  const moving = outcome.command.direction === 'from-device' ? Math.min(length, transfer) : transfer;
  if (outcome.command.direction === 'to-device' && !fits) return [];
  const expected = length - moving;
  return outcome.residual === expected ? [] : [{ field: 'residual', expected: String(expected), actual: String(outcome.residual), requirement: Requirements.transferLength }];
};

const inRanges = (ranges: MaskedRanges, offset: number): boolean => ranges.some(([from, to]) => offset >= from && offset < to);

const hexByte = (value: number | undefined): string => (value === undefined ? 'nothing' : `0x${value.toString(16).padStart(2, '0')}`);

/** GOOD data-in against the model: the bytes the device moved, or where only a digest came back, the digest of a complete transfer. */
const dataDeparture = (expectation: DataExpectation, transfer: number | undefined, outcome: CommandOutcome, masked: MaskedRanges): Departure[] => {
  const length = outcome.command.length;
  const moved = Math.min(transferredBytes(outcome, length), transfer ?? length);
  if (!outcome.dataIn) {
    if (expectation.kind !== 'bytes' || expectation.open.length > 0 || masked.length > 0 || transfer !== length || outcome.residual !== 0) return [];
    const digest = fnv1a64(expectation.bytes.subarray(0, length));
    if (digest === outcome.dataDigest) return [];
    return [{ field: 'data', expected: `digest ${digest.toString(16).padStart(16, '0')}`, actual: `digest ${outcome.dataDigest.toString(16).padStart(16, '0')}`, requirement: expectation.requirement }];
  }
  const data = outcome.dataIn.subarray(0, moved);
  if (expectation.kind === 'structure') {
    const problems = expectation.problems(data);
    return problems.length === 0 ? [] : [{ field: 'data', expected: expectation.requirement.cite, actual: problems.join('; '), requirement: expectation.requirement }];
  }
  const ignored = [...expectation.open, ...masked];
  for (let offset = 0; offset < data.length; offset++) {
    if (inRanges(ignored, offset) || data[offset] === expectation.bytes[offset]) continue;
    const where = expectation.where(offset);
    return [{ field: 'data', expected: `${where} = ${hexByte(expectation.bytes[offset])}`, actual: `${where} = ${hexByte(data[offset])}`, requirement: expectation.requirement }];
  }
  return [];
};

/** The command completed: follow it (or, without its data-out, admit not knowing), then judge what it moved. */
const judgeCompletion = (completion: Completion, outcome: CommandOutcome, state: DeviceState, fits: boolean, parametersKnown: boolean, masked: MaskedRanges): Departure[] => {
  const transfer = transferOf(completion, outcome);
  const departures = [...residualDeparture(transfer, outcome, fits, sameDirection(outcome, state.blockBytes))];
  if (completion.data && outcome.command.direction === 'from-device') departures.push(...dataDeparture(completion.data, transfer, outcome, masked));
  const moved = outcome.dataIn?.subarray(0, transferredBytes(outcome, outcome.command.length));
  if (parametersKnown) completion.effect?.(state, moved);
  else completion.uncertain?.(state);
  return departures;
};

const followGood = (answer: ModelAnswer, state: DeviceState, parametersKnown: boolean, outcome: CommandOutcome): void => {
  const moved = outcome.dataIn?.subarray(0, transferredBytes(outcome, outcome.command.length));
  if (parametersKnown) answer.completion?.effect?.(state, moved);
  else answer.completion?.uncertain?.(state);
};

export interface JudgeInput {
  readonly answer: ModelAnswer;
  readonly outcome: CommandOutcome;
  readonly state: DeviceState;
  /** The device received the whole parameter list the CDB asks for. */
  readonly parametersKnown: boolean;
  readonly masked: MaskedRanges;
}

/**
 * Judges one answer against the model's and moves the model's state the way the device went: what the
 * device did is followed even where it departed, so one departure is reported once, not again at every
 * later command.
 */
export const judgeAnswer = ({ answer, outcome, state, parametersKnown, masked }: JudgeInput): Departure[] => {
  const fits = bufferFits(outcome, state.blockBytes);
  // The command never reached a device (the guest kernel refused it: a CDB under 6 bytes is EMSGSIZE), so no device answered.
  if (!outcome.delivery.answered) return [];
  const { problem } = outcome.delivery;
  if (problem !== undefined) {
    answer.completion?.uncertain?.(state);
    if (!fits) return [];
    return [{ field: 'hostStatus', expected: 'delivered without a transport error', actual: problem, requirement: Requirements.transport }];
  }
  const sense = outcome.status === Status.checkCondition ? decodeSense(outcome.sense) : null;
  const notImplemented = sense !== null && isNotImplemented({ sense: { key: sense.key, asc: sense.asc } });
  const good = outcome.status === Status.good || outcome.status === Status.conditionMet;
  // Only these two say whether the device implements the command: a unit attention or a HARDWARE ERROR from the HBA does not.
  if (good || notImplemented) answer.observe?.(state, notImplemented);
  if (answer.unjudged) {
    if (good) followGood(answer, state, parametersKnown, outcome);
    if (answer.implemented && notImplemented) {
      return [{ field: 'sense', expected: 'any but INVALID COMMAND OPERATION CODE', actual: actualSenseText(sense), requirement: Requirements.supportConsistent }];
    }
    return [];
  }
  if (outcome.status === Status.busy || outcome.status === Status.taskSetFull) return [];
  const acceptable = [...answer.required, ...answer.permitted];
  const completionAllowed = answer.required.length === 0 && answer.completion !== undefined;
  // A unit attention is always allowed after a reset; naming it in every departure would only split signatures.
  const named = acceptable.filter((rejection) => rejection.requirement !== Requirements.unitAttention);
  const expectedText = describeAlternatives(named, completionAllowed);
  if (good) {
    if (completionAllowed && answer.completion) return judgeCompletion(answer.completion, outcome, state, fits, parametersKnown, masked);
    followGood(answer, state, parametersKnown, outcome);
    return [{ field: 'status', expected: expectedText, actual: statusName(outcome.status), requirement: (answer.required[0] ?? answer.permitted[0] ?? { requirement: Requirements.transferLength }).requirement }];
  }
  if (outcome.status === Status.checkCondition) {
    const match = acceptable.find((rejection) => senseMatches(rejection, sense));
    if (match && sense) {
      match.effect?.(state);
      const problem = senseDetailProblem(match, sense);
      return problem ? [{ field: 'sense', expected: expectedDetail(match), actual: `${actualSenseText(sense)} ${problem}`, requirement: match.requirement }] : [];
    }
    const checkConditions = named.filter((rejection) => rejection.status === 'CHECK CONDITION');
    const requirement = (answer.required[0] ?? checkConditions[0])?.requirement ?? Requirements.transferLength;
    if (checkConditions.length > 0 && !completionAllowed) return [{ field: 'sense', expected: describeAlternatives(checkConditions, false), actual: actualSenseText(sense), requirement }];
    return [{ field: 'status', expected: expectedText, actual: `CHECK CONDITION ${actualSenseText(sense)}`, requirement }];
  }
  const conflict = outcome.status === Status.reservationConflict ? acceptable.find((rejection) => rejection.status === 'RESERVATION CONFLICT') : undefined;
  if (conflict) {
    conflict.effect?.(state);
    return [];
  }
  return [{ field: 'status', expected: expectedText, actual: statusName(outcome.status), requirement: answer.required[0]?.requirement ?? Requirements.reservationConflict }];
};
