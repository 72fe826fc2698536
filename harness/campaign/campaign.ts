import { Case } from '../case/case-types';
import { Policy } from '../diff/policy';
import { Oracle, runJudge } from '../diff/run-judge';
import { CaseRun } from '../execute/case-run';
import { ExecutorSource, RestartingExecutor } from '../execute/restarting-executor';
import { findingOf } from '../findings/finding';
import { FindingsStore } from '../findings/findings-store';
import { Signature, Sighting } from '../findings/signature';
import { causesOf } from '../findings/causes';
import { campaignShrinkBudget, FindingShrinkBudget, shrinkFinding } from '../shrink/shrink-finding';
import { Shard, shardSeed } from './shard';

export interface CampaignOptions {
  readonly seed: number;
  /** Stop after this long, or after `maxCases`, whichever comes first. */
  readonly timeMs: number;
  readonly maxCases?: number;
  readonly policy: Policy;
  /** Oracles beside the paths' comparison (the reference model): their divergences are findings too. */
  readonly oracles?: readonly Oracle[];
  readonly store: FindingsStore;
  readonly executors: ExecutorSource;
  /** The case for one seed: the same seed gives the same case, so a campaign is repeatable case by case. */
  readonly generate: (seed: number) => Case;
  /** This runner's part of the seed space: generated case k uses seed + k*n + (i-1) instead of seed + k. */
  readonly shard?: Shard;
  /** Cases run as they are before the generated ones (`hbadiff run --corpus`); generated case k still uses seed + k. */
  readonly corpus?: readonly Case[];
  /** After each case, with everything it did (to keep it in a corpus with its behaviours). */
  readonly onRun?: (run: CaseRun) => void;
  readonly onCase?: (progress: CampaignProgress) => void;
  /** Signatures already known (a baseline's): counted, but neither shrunk nor written again. */
  readonly known?: ReadonlySet<string>;
  /** How hard to shrink each new finding before it is written. */
  readonly shrink?: FindingShrinkBudget;
  /** Once aborted (Ctrl-C), the case in flight is dropped unrecorded, as if never started. */
  readonly stop?: AbortSignal;
  /** Where an interrupted campaign got to: it continues at the next case, its tallies and elapsed time kept. */
  readonly resume?: CampaignResume;
}

export interface CampaignResume {
  readonly cases: number;
  readonly elapsedMs: number;
  readonly tallies: ReadonlyMap<string, SignatureTally>;
}

export interface SignatureTally {
  readonly signature: Signature;
  /** Cases that showed the cause. */
  count: number;
  /** How often each command and field showed it (`<scope> <field>`, as `sightingKey` names them). */
  readonly seenThrough: Map<string, number>;
  /** Absent when a corpus case showed it first. */
  readonly firstSeed: number | undefined;
}

export interface CampaignProgress {
  readonly cases: number;
  readonly commands: number;
  readonly elapsedMs: number;
  readonly tallies: ReadonlyMap<string, SignatureTally>;
  readonly restarts: number;
  /** Candidate cases run while shrinking findings. */
  readonly shrinkRuns: number;
}

/** A sighting as a tally counts it: `28 residual`. */
const sightingKey = (sighting: Sighting): string => `${sighting.scope} ${sighting.field}`;

const countSightings = (tally: SignatureTally, sightings: readonly Sighting[]): void => {
  for (const key of new Set(sightings.map(sightingKey))) tally.seenThrough.set(key, (tally.seenThrough.get(key) ?? 0) + 1);
};

/** Case number `index`: the corpus's cases first, then generated case k from seed + k. */
const caseAt = (options: CampaignOptions, index: number): { readonly testCase: Case; readonly seed?: number } => {
  const corpus = options.corpus ?? [];
  if (index < corpus.length) return { testCase: corpus[index] };
  const seed = shardSeed(options.seed, options.shard, index - corpus.length);
  return { testCase: options.generate(seed), seed };
};

/**
 * Runs generated cases through every path until the budget is spent: each case's divergences become
 * signatures, counted; the first case of each new signature is written as a finding at once.
 */
export const runCampaign = async (options: CampaignOptions): Promise<CampaignProgress> => {
  const started = Date.now() - (options.resume?.elapsedMs ?? 0);
  const tallies = new Map([...(options.resume?.tallies ?? [])].map(([id, tally]) => [id, { ...tally, seenThrough: new Map(tally.seenThrough) }]));
  let cases = options.resume?.cases ?? 0;
  let commands = 0;
  let shrinkRuns = 0;
  const executor = await RestartingExecutor.open(options.executors);
  const judge = runJudge(options.policy, options.oracles);
  const progress = (): CampaignProgress => ({
    cases,
    commands,
    elapsedMs: Date.now() - started,
    tallies,
    restarts: executor.restarts,
    shrinkRuns,
  });
  const provenanceOf = (seed: number | undefined) => ({
    ...(seed !== undefined && { seed }),
    qemuVersion: executor.qemuVersion,
    baselineQemuVersion: executor.baselineQemuVersion,
  });
  const droppedIfStopped = (error: unknown): undefined => {
    if (options.stop?.aborted) return undefined;
    throw error;
  };
  while (Date.now() - started < options.timeMs && (options.maxCases === undefined || cases < options.maxCases)) {
    const { testCase, seed } = caseAt(options, cases);
    const provenance = provenanceOf(seed);
    const run = await executor.run(testCase).catch(droppedIfStopped);
    // The run of a campaign being stopped ends in the crash its own shutdown caused: nothing to record.
    if (!run || options.stop?.aborted) return progress();
    options.store.log(run, cases);
    options.onRun?.(run);
    cases++;
    commands += run.runs.reduce((sum, pathRun) => sum + pathRun.outcomes.length, 0);
    for (const { signature, divergence, seenThrough } of causesOf(judge(run), run)) {
      const tally = tallies.get(signature.id);
      if (tally) {
        tally.count++;
        countSightings(tally, seenThrough);
        continue;
      }
      const first: SignatureTally = { signature, count: 1, firstSeed: seed, seenThrough: new Map() };
      countSightings(first, seenThrough);
      tallies.set(signature.id, first);
      if (options.known?.has(signature.id) || options.store.has(signature.id)) continue;
      // On disk at once, whatever happens while it is shrunk; the shrunk case then takes its place.
      options.store.add(findingOf(divergence, signature, run, provenance));
      const shrunk = await shrinkFinding(executor, judge, signature, { run, divergence }, options.shrink ?? campaignShrinkBudget).catch(
        droppedIfStopped,
      );
      if (!shrunk) return progress();
      shrinkRuns += shrunk.attempts;
      options.store.add(findingOf(shrunk.evidence.divergence, signature, shrunk.evidence.run, provenance));
    }
    options.onCase?.(progress());
  }
  return progress();
};
