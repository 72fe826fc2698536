import { Case } from '../case/case-types';
import { compareRuns } from '../diff/compare-runs';
import { Policy } from '../diff/policy';
import { Executor } from '../execute/executor';
import { findingOf } from '../findings/finding';
import { FindingsStore } from '../findings/findings-store';
import { Signature, signatureOf } from '../findings/signature';

/** Where the executor comes from: a campaign reopens it after QEMU crashed or the guest hung. */
export interface ExecutorSource {
  open(): Promise<Executor>;
  close(): Promise<void>;
}

export interface CampaignOptions {
  readonly seed: number;
  /** Stop after this long, or after `maxCases`, whichever comes first. */
  readonly timeMs: number;
  readonly maxCases?: number;
  readonly policy: Policy;
  readonly store: FindingsStore;
  readonly executors: ExecutorSource;
  /** The case for one seed: the same seed gives the same case, so a campaign is repeatable case by case. */
  readonly generate: (seed: number) => Case;
  readonly onCase?: (progress: CampaignProgress) => void;
}

export interface SignatureTally {
  readonly signature: Signature;
  count: number;
  readonly firstSeed: number;
}

export interface CampaignProgress {
  readonly cases: number;
  readonly commands: number;
  readonly elapsedMs: number;
  readonly tallies: ReadonlyMap<string, SignatureTally>;
  readonly restarts: number;
}

/**
 * Runs generated cases through every path until the budget is spent: each case's divergences become
 * signatures, counted; the first case of each new signature is written as a finding at once.
 */
export const runCampaign = async (options: CampaignOptions): Promise<CampaignProgress> => {
  const started = Date.now();
  const tallies = new Map<string, SignatureTally>();
  let cases = 0;
  let commands = 0;
  let restarts = 0;
  let executor = await options.executors.open();
  const progress = (): CampaignProgress => ({ cases, commands, elapsedMs: Date.now() - started, tallies, restarts });
  while (Date.now() - started < options.timeMs && (options.maxCases === undefined || cases < options.maxCases)) {
    const seed = options.seed + cases;
    const run = await executor.run(options.generate(seed));
    options.store.log(run, cases);
    cases++;
    commands += run.runs.reduce((sum, pathRun) => sum + pathRun.outcomes.length, 0);
    for (const divergence of compareRuns(run, options.policy)) {
      const signature = signatureOf(divergence, run);
      const tally = tallies.get(signature.id);
      if (tally) {
        tally.count++;
        continue;
      }
      tallies.set(signature.id, { signature, count: 1, firstSeed: seed });
      if (!options.store.has(signature.id)) {
        options.store.add(findingOf(divergence, signature, run, { seed, qemuVersion: executor.qemuVersion }));
      }
    }
    if (run.failure) {
      await options.executors.close();
      executor = await options.executors.open();
      restarts++;
    }
    options.onCase?.(progress());
  }
  return progress();
};
