import { ResetKind } from '../scsi/reset-kind';
import { PathId } from '../qemu/topology';
import { ScsiCommand } from '../scsi/command';

export const CASE_FORMAT = 'hbadiff-case/1';

/** `pattern`: the harness's per-block pattern (harness/session/disk-content.ts); `zero`: all zero bytes. */
export type DiskContent = 'pattern' | 'zero';

export interface CaseDisk {
  readonly bytes: number;
  readonly content: DiskContent;
}

/** Where a case came from, for people and for tools that regenerate or triage it; replay ignores it. */
export interface CaseProvenance {
  readonly seed?: number;
  readonly fastCheckPath?: string;
  readonly qemuVersion?: string;
  readonly baselineQemuVersion?: string;
  readonly harnessVersion?: string;
  readonly signature?: string;
  /** ISO 8601. */
  readonly createdAt?: string;
  readonly note?: string;
}

/** Free-form, for tools that later attach expectations to a step; the format only requires an object. */
export type StepExpectation = Readonly<Record<string, unknown>>;

export interface CommandStep {
  readonly kind: 'command';
  readonly command: ScsiCommand;
  readonly timeoutMs?: number;
  readonly expect?: StepExpectation;
}

export interface ResetStep {
  readonly kind: 'reset';
  readonly reset: ResetKind;
  /** The one path whose device the reset is aimed at; absent, each path's own device. */
  readonly path?: PathId;
  readonly expect?: StepExpectation;
}

export type CaseStep = CommandStep | ResetStep;

/** A replayable sequence of steps: the unit findings, replay, shrinking, bisection and the corpus share. */
export interface Case {
  /** Absent: every path of the default topology. */
  readonly paths?: readonly PathId[];
  /** Absent: the harness's default disk. */
  readonly disk?: CaseDisk;
  readonly provenance?: CaseProvenance;
  /** Never empty. */
  readonly steps: readonly CaseStep[];
}
