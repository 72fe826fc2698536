import { Case } from '../case/case-types';
import { Divergence } from '../diff/divergence';
import { RunJudge } from '../diff/run-judge';
import { CaseRun } from '../execute/case-run';
import { Executor } from '../execute/executor';
import { causesOf } from '../findings/causes';

/** A run that showed a given signature, and the divergence that did. */
export interface Reproduction {
  readonly run: CaseRun;
  readonly divergence: Divergence;
}

/** Runs a case and looks for one signature among its divergences: the question a shrink asks of each candidate. */
export const reproduceSignature =
  (executor: Executor, judge: RunJudge, signatureId: string) =>
  async (candidate: Case): Promise<Reproduction | undefined> => {
    const run = await executor.run(candidate);
    const found = causesOf(judge(run), run).find((each) => each.signature.id === signatureId);
    return found && { run, divergence: found.divergence };
  };
