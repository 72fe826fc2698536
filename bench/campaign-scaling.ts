import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCampaign } from '../harness/campaign/campaign';
import { caseGenerator } from '../harness/campaign/case-generator';
import { GuestExecutors } from '../harness/campaign/guest-executors';
import { Policy } from '../harness/diff/policy';
import { FindingsStore } from '../harness/findings/findings-store';
import { defaultTopology } from '../harness/qemu/topology';
import { blockBytes } from '../harness/session/disk-content';
import { uniformShrinkBudget } from '../harness/shrink/shrink-finding';
import { residentKiB } from './host';
import { Measurement, measure } from './measurement';
import { PrebootedExecutors } from './prebooted-executors';
import { BenchProfile } from './profile';
import { modelOracles } from '../harness/model/model-judge';
import { phaseClock, PhaseTotal } from '../harness/profile/phase-clock';

export interface ScalingRow {
  readonly guests: number;
  /** Cases per second of all guests together. */
  readonly rate: Measurement;
  /** Median rate over guests times the one-guest median rate: 1 is perfect scaling. */
  readonly scaling: number;
  /** QEMU's resident memory per guest at the end of each run, KiB. */
  readonly qemuRssKiB: readonly number[];
  /** This process's resident memory at the end of each run, KiB. */
  readonly harnessRssKiB: readonly number[];
  /** Where the runs' wall time went, summed over them, and how many cases they ran. */
  readonly breakdown: { readonly cases: number; readonly wallMs: number; readonly phases: readonly PhaseTotal[] };
}

const benchSeed = 1;

/** `guests` campaigns at once, shards 1..guests of one seed, each on its own guest, for the profile's time. */
const parallelCampaigns = async (
  guests: number,
  profile: BenchProfile,
  policy: Policy,
  known: ReadonlySet<string>,
): Promise<{ readonly rate: number; readonly cases: number; readonly wallMs: number; readonly qemuRssKiB: number[]; readonly harnessRssKiB: number }> => {
  const findings = mkdtempSync(join(tmpdir(), 'hbadiff-bench-'));
  const sources = await Promise.all(Array.from({ length: guests }, () => PrebootedExecutors.boot(new GuestExecutors({}))));
  try {
    const generate = caseGenerator({ blocks: defaultTopology.diskBytes / blockBytes, blockBytes }, undefined);
    const progress = await Promise.all(
      sources.map((executors, index) =>
        runCampaign({
          seed: benchSeed,
          shard: { index: index + 1, count: guests },
          timeMs: profile.campaignSeconds * 1000,
          policy,
          known,
          // Judged as `hbadiff run` judges: by the paths and by the model.
          oracles: () => modelOracles(true),
          store: new FindingsStore(join(findings, String(index + 1))),
          executors: [executors],
          generate,
          // A shrink's reruns are cases too, but not the campaign's: the rate is of generated cases.
          shrink: uniformShrinkBudget(0),
        }),
      ),
    );
    const pids = sources.flatMap(({ guests: executors }) => executors.session?.machine.pid ?? []);
    return {
      rate: progress.reduce((sum, each) => sum + each.cases / (each.elapsedMs / 1000), 0),
      cases: progress.reduce((sum, each) => sum + each.cases, 0),
      wallMs: Math.max(...progress.map((each) => each.elapsedMs)),
      qemuRssKiB: pids.flatMap((pid) => residentKiB(pid) ?? []),
      harnessRssKiB: Math.round(process.memoryUsage().rss / 1024),
    };
  } finally {
    await Promise.all(sources.map((source) => source.close()));
    rmSync(findings, { recursive: true, force: true });
  }
};

/** Campaign throughput with 1, 2, … `maxGuests` guests in parallel. */
export const measureCampaignScaling = async (maxGuests: number, profile: BenchProfile, policy: Policy, known: ReadonlySet<string>): Promise<ScalingRow[]> => {
  const rows: ScalingRow[] = [];
  for (let guests = 1; guests <= maxGuests; guests++) {
    const qemuRssKiB: number[] = [];
    const harnessRssKiB: number[] = [];
    let cases = 0;
    let wallMs = 0;
    phaseClock.reset();
    const rate = await measure(`campaign, ${guests} guest(s) in parallel`, 'cases/s', profile.campaignRuns, async () => {
      const run = await parallelCampaigns(guests, profile, policy, known);
      cases += run.cases;
      wallMs += run.wallMs;
      qemuRssKiB.push(...run.qemuRssKiB);
      harnessRssKiB.push(run.harnessRssKiB);
      return run.rate;
    });
    const scaling = rows.length === 0 ? 1 : rate.median / (guests * rows[0].rate.median);
    console.error(`campaign with ${guests} guest(s): ${rate.median.toFixed(2)} cases/s, scaling ${scaling.toFixed(2)}`);
    rows.push({ guests, rate, scaling, qemuRssKiB, harnessRssKiB, breakdown: { cases, wallMs, phases: phaseClock.snapshot() } });
  }
  return rows;
};
