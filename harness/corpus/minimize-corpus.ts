import { BehaviourKey } from './behaviour';

export interface Coverage<T> {
  readonly item: T;
  readonly behaviours: readonly BehaviourKey[];
  /** Among items that add as much, the cheaper is kept (e.g. fewer steps). */
  readonly cost: number;
}

/**
 * The fewest items, by greedy set cover, whose behaviours together are every behaviour of all of them:
 * repeatedly the item adding the most behaviours not yet kept, the cheaper and then the earlier on a tie.
 * Greedy is within a logarithmic factor of the smallest cover, and a corpus needs no more.
 */
export const minimizeCorpus = <T>(items: readonly Coverage<T>[]): T[] => {
  const uncovered = new Set(items.flatMap((item) => item.behaviours));
  const remaining = [...items];
  const kept: T[] = [];
  while (uncovered.size > 0) {
    let best: { index: number; gain: number } | undefined;
    remaining.forEach((candidate, index) => {
      const gain = new Set(candidate.behaviours.filter((key) => uncovered.has(key))).size;
      if (!best || gain > best.gain || (gain === best.gain && candidate.cost < remaining[best.index].cost)) best = { index, gain };
    });
    if (!best || best.gain === 0) break;
    const [chosen] = remaining.splice(best.index, 1);
    for (const key of chosen.behaviours) uncovered.delete(key);
    kept.push(chosen.item);
  }
  return kept;
};
