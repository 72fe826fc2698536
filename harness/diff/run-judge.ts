import { Divergence } from './divergence';
import { CaseRun } from '../execute/case-run';
import { compareRuns } from './compare-runs';
import { Policy } from './policy';

/**
 * Every divergence a run shows, by whatever oracles are in play: the paths against each other under a
 * policy, and optionally more (the reference model). A campaign, a shrink and a replay ask it the same way.
 */
export type RunJudge = (run: CaseRun) => Divergence[];

/** An extra oracle: called once per run, in order, so it may follow the devices from case to case. */
export interface Oracle {
  judge(run: CaseRun): Divergence[];
}

export const runJudge =
  (policy: Policy, oracles: readonly Oracle[] = []): RunJudge =>
  (run) => [...compareRuns(run, policy), ...oracles.flatMap((oracle) => oracle.judge(run))];
