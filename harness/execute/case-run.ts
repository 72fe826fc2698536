import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { StepOutcome } from './step-outcome';

/** The disk behind a path after a case: a digest to compare, the bytes only where they changed. */
export interface DiskAfter {
  readonly digest: string;
  /** Present when the content differs from what the disk started with. */
  readonly bytes: Buffer | undefined;
}

/**
 * QEMU died, the guest stopped answering, or the target behind the passthrough paths (tgtd) died or stopped:
 * the evidence, and the step that was in flight.
 */
export interface RunFailure {
  readonly kind: 'crash' | 'hang' | 'target';
  readonly step: number;
  readonly detail: string;
  /** The paths that went down; absent, every path of the run (one guest carries them all). */
  readonly paths?: readonly PathId[];
}

export interface PathRun {
  readonly path: PathId;
  /** One per step, up to the step that failed if one did. */
  readonly outcomes: readonly StepOutcome[];
  readonly disk: DiskAfter | undefined;
}

/** A case run on every path: the input of the comparison. */
export interface CaseRun {
  readonly case: Case;
  /** What every disk started with, shared, not copied: the reference for content that changed. */
  readonly initialContent: Buffer;
  readonly runs: readonly PathRun[];
  readonly failure: RunFailure | undefined;
}
