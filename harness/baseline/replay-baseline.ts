import { RunJudge } from '../diff/run-judge';
import { Executor } from '../execute/executor';
import { reproduceSignature } from '../shrink/reproduce-signature';
import { Baseline, BaselineEntry } from './baseline';
import { onDefaultTopology } from '../session/case-topology';

export interface BaselineReplay {
  readonly reproduced: readonly BaselineEntry[];
  /** Entries whose case no longer shows their signature: good news about the QEMU under test. */
  readonly fixed: readonly BaselineEntry[];
}

/**
 * Runs every entry's case and sorts the entries by whether it still shows the entry's signature. The cases of
 * other topologies than the default run first, those naming the most paths first among them, so that an
 * executor that keeps a guest for them runs the narrower ones there; then the default topology's.
 */
export const replayBaseline = async (
  baseline: Baseline,
  executor: Executor,
  judge: RunJudge,
  onEntry: (entry: BaselineEntry, reproduced: boolean) => void = () => undefined,
): Promise<BaselineReplay> => {
  const reproduced: BaselineEntry[] = [];
  const fixed: BaselineEntry[] = [];
  const lastIfDefault = (entry: BaselineEntry): number => (onDefaultTopology(entry.case) ? 1 : 0);
  const widestFirst = [...baseline.entries].sort((a, b) => lastIfDefault(a) - lastIfDefault(b) || (b.case.paths?.length ?? 0) - (a.case.paths?.length ?? 0));
  for (const entry of widestFirst) {
    const shown = (await reproduceSignature(executor, judge, entry.signature)(entry.case)) !== undefined;
    (shown ? reproduced : fixed).push(entry);
    onEntry(entry, shown);
  }
  return { reproduced, fixed };
};
