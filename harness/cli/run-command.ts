import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { campaignSummary, writeSummary } from '../findings/summary';
import { summaryTable } from './summary-table';
import { junitReport } from '../findings/junit-report';
import { checkUpstream } from '../findings/upstream-check';
import { UpstreamVerdict } from '../baseline/baseline';
import { runJudge } from '../diff/run-judge';
import { modelOracles } from '../model/model-judge';
import { loadBaselineFor } from '../baseline/load-baseline';
import { CampaignProgress } from '../campaign/campaign';
import { EnvironmentFault } from '../errors/environment-fault';
import { UserError } from '../errors/user-error';
import { locateQemu, probeQemu } from '../qemu/binary';
import { pathsOfHbas } from '../qemu/hba/hba-selection';
import { findGuestImage } from '../guest/image';
import { PathId } from '../qemu/topology';
import { Transport } from '../execute/transport';
import { defaultPathsNamed } from './default-paths-option';
import { AcceleratorChoice } from '../session/accelerator';
import { newCampaign, resumedCampaign } from './campaign-start';
import { campaignWithProgress } from './campaign-with-progress';
import { campaignCorpus } from './corpus-command';
import { CorpusRecorder } from '../corpus/corpus-recorder';
import { describeShard, Shard, shardItems, shardSeed } from '../campaign/shard';

export interface RunOptions {
  readonly qemu?: string;
  readonly baselineQemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly seed?: number;
  readonly time: number;
  readonly count?: number;
  readonly paths?: string;
  readonly policy?: string;
  readonly findings?: string;
  /** commander's name for `--no-baseline`. */
  readonly baseline: boolean;
  readonly corpus?: string;
  /** commander's name for `--no-model`. */
  readonly model: boolean;
  readonly resume?: string;
  readonly commandTimeout?: number;
  readonly shard?: Shard;
  /** Where to write the causes as JUnit XML. */
  readonly junit?: string;
  /** A newer QEMU to replay each new cause's case on, so the summary says whether current QEMU still has it. */
  readonly upstreamQemu?: string;
  /** Guests running the campaign at once. */
  readonly jobs: number;
  /** `--hbas LIST|all`: every one with each of `disks`, an HBA per path, instead of the default topology. */
  readonly hbas?: string;
  readonly disks: string;
  readonly transport: Transport;
  readonly queueDepth: number;
  /** commander's name for `--host-events`. */
  readonly hostEvents: boolean;
}

/** `--paths a,b`: names from the default topology, at least two of them, or the comparison has nothing to compare. */
const choosePaths = (list: string | undefined): PathId[] | undefined => {
  if (list === undefined) return undefined;
  const chosen = defaultPathsNamed(list);
  if (chosen.length < 2) throw new UserError('--paths: name at least two different paths to compare');
  return chosen;
};

/**
 * The campaign: generated sequences through every path until the budget is spent, findings as they come.
 * Signatures the QEMU's baseline knows are counted but not written again.
 */
export const runCommand = async (options: RunOptions): Promise<void> => {
  const qemu = await probeQemu(locateQemu(options.qemu));
  if (options.hbas !== undefined && options.paths !== undefined) throw new UserError('--hbas and --paths: name the paths one way or the other');
  const paths =
    options.resume !== undefined
      ? undefined
      : options.hbas !== undefined
        ? pathsOfHbas(options.hbas, options.disks, qemu, findGuestImage(), (line) => console.log(line))
        : choosePaths(options.paths);
  if (options.baselineQemu) await probeQemu(locateQemu(options.baselineQemu));
  const upstream = options.upstreamQemu ? await probeQemu(locateQemu(options.upstreamQemu)) : undefined;
  // Between two builds every difference is the patch's: the cross-path baseline does not apply.
  const baseline = options.baseline && !options.baselineQemu ? await loadBaselineFor(qemu.version) : undefined;
  const known = new Set(baseline?.entries.map((entry) => entry.signature));
  // Only once QEMU and the baseline are there, so that a run that cannot start leaves no campaign to resume.
  const { plan, policy, store, journal, resume } = options.resume !== undefined ? resumedCampaign(options.resume) : newCampaign(options, paths);
  const { seed, shard } = plan;
  const repeat = shard ? `--seed ${seed} --shard ${shard.index}/${shard.count}` : `--seed ${seed}`;
  console.log(`seed ${seed} (repeat with ${repeat}); policy ${policy.source}; findings in ${store.directory}`);
  if (shard) console.log(`${describeShard(shard)}: case k uses seed ${seed} + k*${shard.count} + ${shard.index - 1}`);
  if (resume) console.log(`resuming at case ${resume.cases} (seed ${shardSeed(seed, shard, resume.cases)}), ${resume.tallies.size} signature(s) so far`);
  console.log(baseline ? `baseline ${baseline.file}: ${known.size} known signature(s)` : 'no baseline: every signature is written');
  const wholeCorpus = options.corpus === undefined ? [] : await campaignCorpus(options.corpus);
  const corpus = shard ? shardItems(wholeCorpus, shard) : wholeCorpus;
  const recorder = options.baselineQemu ? undefined : new CorpusRecorder(join(store.directory, 'corpus'), policy);
  let lastProgress: CampaignProgress | undefined;
  const report = (progress: CampaignProgress, checked: ReadonlyMap<string, UpstreamVerdict> = new Map(), upstreamVersion = ''): void => {
    const summary = campaignSummary(progress, {
      qemuVersion: qemu.version,
      seed,
      known,
      written: (id) => store.has(id),
      upstream: (id) => {
        const verdict = checked.get(id);
        return verdict ? { [upstreamVersion]: verdict } : baseline?.entries.find((entry) => entry.signature === id)?.upstream;
      },
    });
    writeSummary(store.directory, summary);
    // npm start runs in the repository: a relative file is the user's, from where they typed the command.
    if (options.junit) writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), options.junit), junitReport(summary));
    for (const line of summaryTable(summary)) console.log(line);
  };
  const progress = await campaignWithProgress({
    qemu: options.qemu,
    baselineQemu: options.baselineQemu,
    accel: options.accel,
    seed,
    shard,
    time: plan.timeMs / 1000,
    count: plan.maxCases,
    paths: plan.paths,
    policy,
    store,
    known,
    corpus,
    recorder,
    // Between two builds the question is what the patch changed; the model's verdicts on both builds are not.
    model: options.model && !options.baselineQemu,
    resume,
    onCase: (now) => {
      lastProgress = now;
      journal.record(now);
    },
    requestTimeoutMs: options.commandTimeout === undefined ? undefined : options.commandTimeout * 1000,
    jobs: options.jobs,
    transport: options.transport,
    draws: plan.draws,
  }).catch((error: unknown) => {
    // tgtd dying ends the campaign, but what it found before is as good as ever: show it, then the fault.
    if (error instanceof EnvironmentFault && lastProgress) {
      console.log(`stopped after ${lastProgress.cases} cases by an environment fault; resume with --resume ${store.directory}`);
      report(lastProgress);
    }
    throw error;
  });
  if (!upstream) return report(progress);
  const fresh = new Set([...progress.tallies.keys()].filter((id) => !known.has(id) && store.has(id)));
  console.log(`replaying ${fresh.size} new cause(s) on QEMU ${upstream.version} (${upstream.path})`);
  report(progress, await checkUpstream(store.directory, fresh, upstream, runJudge(policy, modelOracles(options.model && !options.baselineQemu))), upstream.version);
};
