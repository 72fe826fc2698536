import { Case } from '../case/case-types';
import { smallerCases } from './smaller-cases';

/** What a shrink ends with: the smallest case found that still shows the behaviour, and what that cost. */
export interface Shrunk<Evidence> {
  readonly case: Case;
  /** What the last accepted run showed: the run and divergence a finding is written from. */
  readonly evidence: Evidence;
  readonly attempts: number;
  readonly accepted: number;
}

export interface ShrinkOptions {
  /** Runs of candidate cases at most: each is a real run on a real guest. */
  readonly maxAttempts: number;
  /** Wall-clock budget: a candidate that crashes QEMU or hangs the guest costs a reboot or a timeout. */
  readonly maxMs?: number;
  /** A crash or a hang shows on one path alone; a difference needs two. */
  readonly fewestPaths: number;
}

/**
 * Greedy shrinking: try one-move simplifications in order, take the first that still shows the behaviour
 * (`reproduce` returns its evidence, or undefined) and start again from it, until no move works or the
 * budget is spent. Every candidate is strictly smaller (case-size.ts), so every accepted move makes progress.
 */
export const shrinkCase = async <Evidence>(
  start: Case,
  evidence: Evidence,
  reproduce: (candidate: Case) => Promise<Evidence | undefined>,
  options: ShrinkOptions,
): Promise<Shrunk<Evidence>> => {
  let current: Shrunk<Evidence> = { case: start, evidence, attempts: 0, accepted: 0 };
  const deadline = Date.now() + (options.maxMs ?? Infinity);
  const spent = () => current.attempts >= options.maxAttempts || Date.now() >= deadline;
  let improved = true;
  while (improved && !spent()) {
    improved = false;
    for (const candidate of smallerCases(current.case, options.fewestPaths)) {
      if (spent()) break;
      const attempts = current.attempts + 1;
      const shown = await reproduce(candidate);
      current = shown === undefined ? { ...current, attempts } : { case: candidate, evidence: shown, attempts, accepted: current.accepted + 1 };
      if (shown !== undefined) {
        improved = true;
        break;
      }
    }
  }
  return current;
};
