import { Case } from '../case/case-types';
import { Policy } from '../diff/policy';
import { Oracle, runJudge, RunJudge } from '../diff/run-judge';
import { CaseRun } from '../execute/case-run';
import { ExecutorSource, RestartingExecutor } from '../execute/restarting-executor';
import { findingOf } from '../findings/finding';
import { FindingsStore } from '../findings/findings-store';
import { Signature, Sighting } from '../findings/signature';
import { causesOf } from '../findings/causes';
import { campaignShrinkBudget, FindingShrinkBudget, shrinkFinding } from '../shrink/shrink-finding';
import { Shard, shardSeed } from './shard';
import { phaseClock } from '../profile/phase-clock';

export interface CampaignOptions {
  readonly seed: number;
  /** Stop after this long, or after `maxCases`, whichever comes first. */
  readonly timeMs: number;
  readonly maxCases?: number;
  readonly policy: Policy;
  /**
   * Oracles beside the paths' comparison (the reference model): their divergences are findings too. A fresh
   * set per guest, since an oracle follows its guest's devices from case to case.
   */
  readonly oracles?: () => readonly Oracle[];
  readonly store: FindingsStore;
  /** One per guest: the campaign runs its cases on all of them at once (`--jobs`). */
  readonly executors: readonly ExecutorSource[];
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
  /** Once aborted (Ctrl-C), the cases in flight are dropped unrecorded, as if never started. */
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
  return { testCase: phaseClock.timeSync('generate case', () => options.generate(seed)), seed };
};

/**
 * Runs generated cases through every path until the budget is spent: each case's divergences become
 * signatures, counted; the first case of each new signature is written as a finding at once (and shrunk on
 * the guest that found it). With several guests, case k goes to whichever guest is free, but cases are
 * counted, journaled and judged for findings strictly in order of k, so the campaign's tallies, findings and
 * journal are those one guest would have produced, and `--resume` continues at the exact case.
 */
export const runCampaign = async (options: CampaignOptions): Promise<CampaignProgress> => {
  const started = Date.now() - (options.resume?.elapsedMs ?? 0);
  const tallies = new Map([...(options.resume?.tallies ?? [])].map(([id, tally]) => [id, { ...tally, seenThrough: new Map(tally.seenThrough) }]));
  let cases = options.resume?.cases ?? 0;
  let commands = 0;
  let shrinkRuns = 0;
  const executors = await Promise.all(options.executors.map((source) => RestartingExecutor.open(source)));
  const progress = (): CampaignProgress => ({
    cases,
    commands,
    elapsedMs: Date.now() - started,
    tallies,
    restarts: executors.reduce((sum, executor) => sum + executor.restarts, 0),
    shrinkRuns,
  });
  const provenanceOf = (seed: number | undefined) => ({
    ...(seed !== undefined && { seed }),
    qemuVersion: executors[0].qemuVersion,
    baselineQemuVersion: executors[0].baselineQemuVersion,
  });
  const inOrder = new CaseOrder(cases);
  let nextCase = cases;
  let ended = false;
  const budgetLeft = (): boolean =>
    !ended && !options.stop?.aborted && Date.now() - started < options.timeMs && (options.maxCases === undefined || nextCase < options.maxCases);

  /** The run's findings: what the campaign does with a case once every case before it has had its turn. */
  const record = async (executor: RestartingExecutor, judge: RunJudge, index: number, seed: number | undefined, run: CaseRun): Promise<void> => {
    const provenance = provenanceOf(seed);
    phaseClock.timeSync('journal and corpus', () => {
      options.store.log(run, index);
      options.onRun?.(run);
    });
    cases++;
    commands += run.runs.reduce((sum, pathRun) => sum + pathRun.outcomes.length, 0);
    const divergences = phaseClock.timeSync('judge (paths and model)', () => judge(run));
    for (const { signature, divergence, seenThrough } of phaseClock.timeSync('causes', () => causesOf(divergences, run))) {
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
      phaseClock.timeSync('findings written', () => options.store.add(findingOf(divergence, signature, run, provenance)));
      const shrunk = await phaseClock.time('shrinking (its cases included)', () =>
        shrinkFinding(executor, judge, signature, { run, divergence }, options.shrink ?? campaignShrinkBudget),
      );
      shrinkRuns += shrunk.attempts;
      phaseClock.timeSync('findings written', () => options.store.add(findingOf(shrunk.evidence.divergence, signature, shrunk.evidence.run, provenance)));
    }
    options.onCase?.(progress());
  };

  const guest = async (executor: RestartingExecutor): Promise<void> => {
    const judge = runJudge(options.policy, options.oracles?.() ?? []);
    while (budgetLeft()) {
      const index = nextCase++;
      const { testCase, seed } = caseAt(options, index);
      const run = await executor.run(testCase);
      await inOrder.turnOf(index);
      try {
        // The run of a campaign being stopped ends in the crash its own shutdown caused: nothing to record.
        if (ended || options.stop?.aborted) return;
        await record(executor, judge, index, seed, run);
      } finally {
        inOrder.done(index);
      }
    }
  };

  try {
    await Promise.all(
      executors.map((executor) =>
        guest(executor).catch((error: unknown) => {
          // One guest's failure ends the campaign: the others stop taking cases, and none waits for its turn.
          ended = true;
          inOrder.release();
          throw error;
        }),
      ),
    );
  } catch (error) {
    if (!options.stop?.aborted) throw error;
  }
  return progress();
};

/** Lets cases that ran out of order be recorded in order: case k's turn comes once every case before it is done. */
class CaseOrder {
  private waiting = new Map<number, () => void>();
  private released = false;

  constructor(private next: number) {}

  turnOf(index: number): Promise<void> {
    if (this.released || index === this.next) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(index, resolve));
  }

  done(index: number): void {
    this.next = index + 1;
    const waiter = this.waiting.get(this.next);
    this.waiting.delete(this.next);
    waiter?.();
  }

  /** Every waiter goes on at once: the campaign is ending. */
  release(): void {
    this.released = true;
    for (const waiter of this.waiting.values()) waiter();
    this.waiting.clear();
  }
}
