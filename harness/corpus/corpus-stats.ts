import { Behaviour, behaviourKey } from './behaviour';

export interface DimensionStats {
  /** A field of the behaviours: command, path, status, transport, sense, residual, field, paths, signature. */
  readonly name: string;
  /** Each value, with how many distinct behaviours have it, the most frequent first. */
  readonly values: readonly { readonly value: string; readonly behaviours: number }[];
}

export interface CorpusStats {
  readonly cases: number;
  readonly behaviours: number;
  /** Distinct behaviours per kind: answer, reset, divergence. */
  readonly kinds: Readonly<Record<string, number>>;
  readonly dimensions: readonly DimensionStats[];
}

/** The behaviour coverage of a corpus: its distinct behaviours, per kind, and per value of each dimension. */
export const corpusStats = (perCase: readonly (readonly Behaviour[])[]): CorpusStats => {
  const distinct = new Map<string, Behaviour>();
  for (const behaviours of perCase) for (const behaviour of behaviours) distinct.set(behaviourKey(behaviour), behaviour);
  const kinds: Record<string, number> = {};
  const counts = new Map<string, Map<string, number>>();
  for (const behaviour of distinct.values()) {
    kinds[behaviour.kind] = (kinds[behaviour.kind] ?? 0) + 1;
    for (const [name, value] of Object.entries(behaviour)) {
      if (name === 'kind') continue;
      const values = counts.get(name) ?? new Map<string, number>();
      values.set(value, (values.get(value) ?? 0) + 1);
      counts.set(name, values);
    }
  }
  const dimensions = [...counts].map(([name, values]) => ({
    name,
    values: [...values]
      .map(([value, behaviours]) => ({ value, behaviours }))
      .sort((a, b) => b.behaviours - a.behaviours || (a.value < b.value ? -1 : 1)),
  }));
  return { cases: perCase.length, behaviours: distinct.size, kinds, dimensions };
};
