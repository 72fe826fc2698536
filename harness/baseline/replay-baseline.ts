import { RunJudge } from '../diff/run-judge';
import { Executor } from '../execute/executor';
import { reproduceSignature } from '../shrink/reproduce-signature';
import { Baseline, BaselineEntry } from './baseline';

export interface BaselineReplay {
  readonly reproduced: readonly BaselineEntry[];
  /** Entries whose case no longer shows their signature: good news about the QEMU under test. */
  readonly fixed: readonly BaselineEntry[];
}

/**
 * Runs every entry's case and sorts the entries by whether it still shows the entry's signature. The cases
 * naming the most paths run first, so that an executor that keeps a guest for them runs the narrower ones there.
 */
export const replayBaseline = async (
  baseline: Baseline,
  executor: Executor,
  judge: RunJudge,
  onEntry: (entry: BaselineEntry, reproduced: boolean) => void = () => undefined,
): Promise<BaselineReplay> => {
  const reproduced: BaselineEntry[] = [];
  const fixed: BaselineEntry[] = [];
  const widestFirst = [...baseline.entries].sort((a, b) => (b.case.paths?.length ?? 0) - (a.case.paths?.length ?? 0));
  for (const entry of widestFirst) {
    const shown = (await reproduceSignature(executor, judge, entry.signature)(entry.case)) !== undefined;
    (shown ? reproduced : fixed).push(entry);
    onEntry(entry, shown);
  }
  return { reproduced, fixed };
};
