/**
 * Where a campaign's wall time goes, phase by phase: what `npm run bench` breaks a case down into. One
 * clock per process (the executor, the campaign and the shrinker all add to it); a phase is timed from
 * the moment its work starts to the moment it settles, so phases that nest (a shrink's cases) say so in
 * their names and are reported apart, never summed with what they contain.
 */
export type Phase =
  | 'generate case'
  | 'disk restore (host)'
  | 'device-state restore'
  | 'kernel-log read'
  | 'command batches (round trip)'
  | 'resets'
  | 'host events'
  | 'trace windows'
  | 'disk read (host)'
  | 'judge (paths and model)'
  | 'causes'
  | 'journal and corpus'
  | 'findings written'
  | 'fresh guest after a failure'
  | 'shrinking (its cases included)';

export interface PhaseTotal {
  readonly phase: Phase;
  readonly ms: number;
  readonly count: number;
}

class PhaseClock {
  private readonly totals = new Map<Phase, { ms: number; count: number }>();

  add(phase: Phase, ms: number): void {
    const total = this.totals.get(phase) ?? { ms: 0, count: 0 };
    total.ms += ms;
    total.count++;
    this.totals.set(phase, total);
  }

  async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  timeSync<T>(phase: Phase, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  /** Every phase timed since the last reset, most time first. */
  snapshot(): PhaseTotal[] {
    return [...this.totals].map(([phase, { ms, count }]) => ({ phase, ms, count })).sort((a, b) => b.ms - a.ms);
  }

  reset(): void {
    this.totals.clear();
  }
}

/** The process's clock: cheap enough (two clock reads a phase) to run in every campaign, read by the bench. */
export const phaseClock = new PhaseClock();
