import { Case } from '../case/case-types';
import { Divergence } from '../diff/divergence';
import { RunJudge } from '../diff/run-judge';
import { withoutBuild } from '../execute/build';
import { CaseRun } from '../execute/case-run';
import { Executor } from '../execute/executor';
import { Signature } from '../findings/signature';
import { PathId } from '../qemu/topology';
import { Reproduction, reproduceSignature } from './reproduce-signature';
import { shrinkCase, Shrunk } from './shrink-case';

/** Candidate runs per finding, by what it costs to show: a crash costs a reboot, a hang its timeout and a reboot. */
export interface FindingShrinkBudget {
  readonly attempts: number;
  readonly crashAttempts: number;
  readonly hangAttempts: number;
  /** Per finding, whatever its kind: candidates that crash or hang make attempts uneven in cost. */
  readonly maxMs: number;
}

/** A campaign leaves hangs whole: each attempt would stop it for a command timeout; `hbadiff shrink` takes its time. */
export const campaignShrinkBudget: FindingShrinkBudget = { attempts: 24, crashAttempts: 6, hangAttempts: 0, maxMs: 45_000 };

export const uniformShrinkBudget = (attempts: number, maxMs = Infinity): FindingShrinkBudget => ({
  attempts,
  crashAttempts: attempts,
  hangAttempts: attempts,
  maxMs,
});

const attemptsFor = (divergence: Divergence, budget: FindingShrinkBudget): number =>
  divergence.field === 'crash' || divergence.field === 'target' ? budget.crashAttempts : divergence.field === 'hang' ? budget.hangAttempts : budget.attempts;

/** A failure that took the guest down (a crash, a hang) concerns every path of the case; a target's, the paths it served. */
const isFailure = (divergence: Divergence): boolean => divergence.field === 'crash' || divergence.field === 'hang';

/** The paths a case names: a run of two builds carries each path twice, tagged with its build; the case names it once. */
const casePaths = (paths: readonly PathId[]): PathId[] => [...new Set(paths.map(withoutBuild))];

/**
 * The obvious first guess at a smaller case: only the paths that diverged, and no step after the one that
 * did. One attempt; when it does not show the signature (a reset aimed at a dropped path mattered, say),
 * shrinking starts from the whole case instead.
 */
export const firstGuess = (divergence: Divergence, run: CaseRun): Case => ({
  ...run.case,
  paths: casePaths(isFailure(divergence) ? run.runs.map((path) => path.path) : divergence.paths),
  steps: run.case.steps.slice(0, divergence.step + 1),
});

/**
 * Shrinks what a run showed to the smallest case that still shows the same signature, running each
 * candidate for real on `executor`. The result's evidence is the run a finding is written from.
 */
export const shrinkFinding = async (
  executor: Executor,
  judge: RunJudge,
  signature: Signature,
  found: Reproduction,
  budget: FindingShrinkBudget,
): Promise<Shrunk<Reproduction>> => {
  const attempts = attemptsFor(found.divergence, budget);
  if (attempts === 0) return { case: found.run.case, evidence: found, attempts: 0, accepted: 0 };
  const reproduce = reproduceSignature(executor, judge, signature.id);
  const guess = firstGuess(found.divergence, found.run);
  const guessed = await reproduce(guess);
  const start = guessed
    ? { case: guess, evidence: guessed }
    : { case: { ...found.run.case, paths: casePaths(found.run.runs.map((path) => path.path)) }, evidence: found };
  const shrunk = await shrinkCase(start.case, start.evidence, reproduce, {
    maxAttempts: attempts - 1,
    maxMs: budget.maxMs,
    fewestPaths: isFailure(found.divergence) || found.divergence.field === 'target' ? 1 : 2,
  });
  return { ...shrunk, attempts: shrunk.attempts + 1, accepted: shrunk.accepted + (guessed ? 1 : 0) };
};
