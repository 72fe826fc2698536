/** How long the suite measures: `full` for the README's table, `quick` to check the suite itself in a few minutes. */
export interface BenchProfile {
  readonly name: 'full' | 'quick';
  readonly boots: number;
  /** Samples of each throughput figure. */
  readonly runs: number;
  /** Commands per harness batch (data-out crosses the line as runs, so writes batch like reads). */
  readonly batch: number;
  /** Commands per in-guest loop. */
  readonly loopIterations: number;
  readonly campaignSeconds: number;
  readonly campaignRuns: number;
  /** Well-formed READ (10) per sample of the frame-level command rate. */
  readonly frameCommands: number;
  /** Seconds per sample of the frame-mutation rate. */
  readonly frameMutationSeconds: number;
}

export const benchProfiles: Readonly<Record<BenchProfile['name'], BenchProfile>> = {
  full: { name: 'full', boots: 5, runs: 5, batch: 200, loopIterations: 2000, campaignSeconds: 40, campaignRuns: 3, frameCommands: 1000, frameMutationSeconds: 10 },
  quick: { name: 'quick', boots: 2, runs: 2, batch: 50, loopIterations: 200, campaignSeconds: 15, campaignRuns: 1, frameCommands: 200, frameMutationSeconds: 3 },
};
