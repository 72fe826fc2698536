/** A residual as a kind rather than a count: none, partial, all of the buffer, more than it, or negative. */
export const residualClass = (residual: number, length: number): string => {
  if (residual === 0) return 'none';
  if (residual === length) return 'all';
  if (residual < 0) return 'negative';
  return residual > length ? 'over' : 'partial';
};
