import { RunJudge } from '../diff/run-judge';
import { Executor } from '../execute/executor';
import { reproduceSignature } from '../shrink/reproduce-signature';
import { Baseline, BaselineEntry } from './baseline';

export interface BaselineReplay {
  readonly reproduced: readonly BaselineEntry[];
  /** Entries whose case no longer shows their signature: good news about the QEMU under test. */
  readonly fixed: readonly BaselineEntry[];
}

/** Runs every entry's case and sorts the entries by whether it still shows the entry's signature. */
export const replayBaseline = async (
  baseline: Baseline,
  executor: Executor,
  judge: RunJudge,
  onEntry: (entry: BaselineEntry, reproduced: boolean) => void = () => undefined,
): Promise<BaselineReplay> => {
  const reproduced: BaselineEntry[] = [];
  const fixed: BaselineEntry[] = [];
  for (const entry of baseline.entries) {
    const shown = (await reproduceSignature(executor, judge, entry.signature)(entry.case)) !== undefined;
    (shown ? reproduced : fixed).push(entry);
    onEntry(entry, shown);
  }
  return { reproduced, fixed };
};
