import { ascending, quantile } from '../harness/latency/quantile';

/** Median and spread of repeated measurements, as every benchmark reports them. */
export interface Summary {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Interquartile range: the spread that one outlier does not move. */
  readonly iqr: number;
}

export const summarize = (samples: readonly number[]): Summary => {
  if (samples.length === 0) throw new RangeError('no samples to summarize');
  const sorted = ascending(samples);
  return {
    runs: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    iqr: quantile(sorted, 0.75) - quantile(sorted, 0.25),
  };
};
