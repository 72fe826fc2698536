import { loadAverage } from './host';
import { Summary, summarize } from './statistics';

/** One figure of the suite: its samples, their median and spread, and how loaded the machine was meanwhile. */
export interface Measurement extends Summary {
  readonly what: string;
  readonly unit: string;
  readonly samples: readonly number[];
  /** /proc/loadavg before the first sample and after the last. */
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
}

/** Takes `runs` samples one after the other. */
export const measure = async (what: string, unit: string, runs: number, sample: (run: number) => Promise<number>): Promise<Measurement> => {
  const before = loadAverage();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await sample(run));
  return { what, unit, samples, ...summarize(samples), loadAverage: { before, after: loadAverage() } };
};
