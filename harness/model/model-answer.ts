import { DeviceState } from './device-state';
import { Requirement, Requirements } from './requirement';

/** Sense data the standard requires: key and ASC, the ASCQ unless any will do, and what SKSV must point at if set. */
export interface ExpectedSense {
  readonly key: number;
  readonly asc: number;
  /** Undefined: any ASCQ (a unit attention says which reset the device saw). */
  readonly ascq?: number;
  /** Where a field pointer, when the device gives one, may point: CDB or parameter list bytes. */
  readonly pointer?: { readonly inCdb: boolean; readonly bytes: readonly number[] };
  /** MISCOMPARE: the offset of the first differing byte, which INFORMATION carries when VALID is set. */
  readonly information?: bigint;
}

/** An answer other than GOOD the standard requires or allows. */
export interface Rejection {
  readonly status: 'CHECK CONDITION' | 'RESERVATION CONFLICT';
  readonly sense?: ExpectedSense;
  readonly requirement: Requirement;
  /** What the device's state becomes when it answered this way (a unit attention reported is gone). */
  readonly effect?: (state: DeviceState) => void;
}

/** What GOOD data-in must hold: exact bytes (some ranges of which may hold anything), or a structure to check. */
export type DataExpectation =
  | {
      readonly kind: 'bytes';
      readonly bytes: Buffer;
      readonly open: readonly (readonly [number, number])[];
      readonly requirement: Requirement;
      /** What a byte offset of the data is, in words: `LBA 7 byte 12`. */
      readonly where: (offset: number) => string;
    }
  | {
      readonly kind: 'structure';
      readonly requirement: Requirement;
      /** What in the returned bytes (as many as were transferred) the standard or the device's earlier answers contradict. */
      readonly problems: (data: Buffer) => readonly string[];
    };

/** The device completed the command (GOOD): what it moves, what data-in holds, what it changes. */
export interface Completion {
  /** Bytes moved: fixed, or read from the data the device returned (undefined when the data cannot say). */
  readonly transfer: number | ((data: Buffer) => number | undefined);
  readonly data?: DataExpectation;
  /** The command's effect, given the data-in the device returned (to record its choices), when it had any. */
  readonly effect?: (state: DeviceState, dataIn: Buffer | undefined) => void;
  /** The device completed without all of the data-out: the model no longer knows what the command changed. */
  readonly uncertain?: (state: DeviceState) => void;
}

/** What the standard makes of one command in one state of the device. */
export interface ModelAnswer {
  /** Non-empty: the device must answer with one of these (or one of `permitted`). */
  readonly required: readonly Rejection[];
  /** Answers the standard allows beside completing (or beside the required ones). */
  readonly permitted: readonly Rejection[];
  /** Undefined when the command cannot complete. */
  readonly completion: Completion | undefined;
  /** Set when the standard does not say what the device answers: anything goes, for this reason. */
  readonly unjudged?: string;
  /** The device has shown it implements this command: INVALID COMMAND OPERATION CODE departs even where the rest is unjudged. */
  readonly implemented?: boolean;
  /** Recorded whatever the answer, given whether the device rejected the command as not implemented. */
  readonly observe?: (state: DeviceState, notImplemented: boolean) => void;
}

export const completes = (completion: Completion, permitted: readonly Rejection[] = []): ModelAnswer => ({ required: [], permitted, completion });

export const rejects = (...required: Rejection[]): ModelAnswer => ({ required, permitted: [], completion: undefined });

export const unjudged = (reason: string): ModelAnswer => ({ required: [], permitted: [], completion: undefined, unjudged: reason });

/** The answer with `rejection` required first: a check made before the command's own (the order among required ones is the device's). */
export const requiring = (answer: ModelAnswer, rejection: Rejection): ModelAnswer => ({ ...answer, required: [rejection, ...answer.required] });

export const permitting = (answer: ModelAnswer, ...rejections: Rejection[]): ModelAnswer => ({ ...answer, permitted: [...answer.permitted, ...rejections] });

const illegalRequest = 0x5;

export const checkCondition = (requirement: Requirement, sense: ExpectedSense, effect?: (state: DeviceState) => void): Rejection => ({
  status: 'CHECK CONDITION',
  sense,
  requirement,
  ...(effect ? { effect } : {}),
});

export const invalidFieldInCdb = (requirement: Requirement, ...bytes: number[]): Rejection =>
  checkCondition(requirement, { key: illegalRequest, asc: 0x24, ascq: 0x00, pointer: { inCdb: true, bytes } });

export const invalidFieldInParameters = (requirement: Requirement, ...bytes: number[]): Rejection =>
  checkCondition(requirement, { key: illegalRequest, asc: 0x26, ascq: 0x00, pointer: { inCdb: false, bytes } });

export const parameterListLengthError = (requirement: Requirement): Rejection =>
  checkCondition(requirement, { key: illegalRequest, asc: 0x1a, ascq: 0x00 });

export const lbaOutOfRange = (): Rejection => checkCondition(Requirements.lbaOutOfRange, { key: illegalRequest, asc: 0x21, ascq: 0x00 });

export const invalidOpcode = (requirement: Requirement): Rejection =>
  checkCondition(requirement, { key: illegalRequest, asc: 0x20, ascq: 0x00, pointer: { inCdb: true, bytes: [0] } });

export const reservationConflict = (requirement: Requirement, effect?: (state: DeviceState) => void): Rejection => ({
  status: 'RESERVATION CONFLICT',
  requirement,
  ...(effect ? { effect } : {}),
});

/** INVALID COMMAND OPERATION CODE: how a device says it does not implement a command. */
export const isNotImplemented = (rejection: Pick<Rejection, 'sense'>): boolean => rejection.sense?.key === illegalRequest && rejection.sense.asc === 0x20;
