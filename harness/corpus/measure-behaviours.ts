import { ExecutorSource, RestartingExecutor } from '../execute/restarting-executor';
import { Policy } from '../diff/policy';
import { topologyFor } from '../session/case-topology';
import { Topology } from '../qemu/topology';
import { Behaviour, behavioursOf } from './behaviour';
import { BehaviourCache, caseKey } from './behaviour-cache';
import { CorpusEntry } from './read-corpus';

export interface MeasureOptions {
  readonly cache: BehaviourCache;
  readonly environment: string;
  readonly policy: Policy;
  /** Guests for one topology: opened when a case needs running, reopened after a crash or a hang. */
  readonly executorsFor: (topology: Topology) => ExecutorSource;
  /** After each case that had to be run. */
  readonly onRun?: (done: number, toRun: number) => void;
}

/**
 * Every entry's behaviours: from the cache where this environment measured the case before, otherwise by
 * running it, all cases of one topology through one guest (rebooted only after a crash or a hang), each
 * result cached at once. A corpus measured before costs no boot at all.
 */
export const measureBehaviours = async (
  entries: readonly CorpusEntry[],
  options: MeasureOptions,
): Promise<Map<CorpusEntry, readonly Behaviour[]>> => {
  const measured = new Map<CorpusEntry, readonly Behaviour[]>();
  const toRun = new Map<string, { topology: Topology; entries: CorpusEntry[] }>();
  for (const entry of entries) {
    const cached = options.cache.get(options.environment, caseKey(entry.case));
    if (cached) {
      measured.set(entry, cached);
      continue;
    }
    const topology = topologyFor(entry.case);
    const group = toRun.get(JSON.stringify(topology)) ?? { topology, entries: [] };
    group.entries.push(entry);
    toRun.set(JSON.stringify(topology), group);
  }
  const total = [...toRun.values()].reduce((sum, group) => sum + group.entries.length, 0);
  let done = 0;
  for (const group of toRun.values()) {
    const executors = options.executorsFor(group.topology);
    try {
      const executor = await RestartingExecutor.open(executors);
      for (const entry of group.entries) {
        const run = await executor.run(entry.case);
        const behaviours = behavioursOf(run, options.policy);
        options.cache.record(options.environment, caseKey(entry.case), behaviours);
        measured.set(entry, behaviours);
        options.onRun?.(++done, total);
      }
    } finally {
      await executors.close();
    }
  }
  return measured;
};
