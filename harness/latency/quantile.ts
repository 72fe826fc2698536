/** The q-quantile (0..1) of ascending samples, interpolated between the two nearest. */
export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) throw new RangeError('no samples');
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
};

export const ascending = (samples: readonly number[]): number[] => [...samples].sort((a, b) => a - b);
