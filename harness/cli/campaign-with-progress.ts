import { SingleBar } from 'cli-progress';
import { CampaignProgress, CampaignResume, runCampaign } from '../campaign/campaign';
import { caseGenerator } from '../campaign/case-generator';
import { BuildPairExecutors } from '../campaign/build-pair-executors';
import { ExecutorSource } from '../execute/restarting-executor';
import { GuestExecutors } from '../campaign/guest-executors';
import { QtestExecutors } from '../qtest/qtest-executors';
import { Transport } from '../execute/transport';
import { locateQemu } from '../qemu/binary';
import { Policy } from '../diff/policy';
import { modelOracles } from '../model/model-judge';
import { FindingsStore } from '../findings/findings-store';
import { defaultTopology, PathId } from '../qemu/topology';
import { topologyOfPaths } from '../session/case-topology';
import { AcceleratorChoice } from '../session/accelerator';
import { blockBytes } from '../session/disk-content';
import { stopOnSignals } from './stop-on-signals';
import { Shard } from '../campaign/shard';
import { Case } from '../case/case-types';
import { CorpusRecorder } from '../corpus/corpus-recorder';
import { CampaignDraws } from '../campaign/campaign-plan';
import { defaultCasePaths } from '../case/case-paths';
import { pathKind } from '../findings/path-sides';
import { behaviourEnvironment } from '../corpus/behaviour-environment';

export interface CampaignRunOptions {
  readonly qemu?: string;
  /** Compare each path with itself under this build instead of the paths with each other. */
  readonly baselineQemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly seed: number;
  readonly shard?: Shard;
  /** Seconds. */
  readonly time: number;
  readonly count?: number;
  readonly paths?: readonly PathId[];
  readonly policy: Policy;
  readonly store: FindingsStore;
  readonly known?: ReadonlySet<string>;
  /** Run before the generated cases. */
  readonly corpus?: readonly Case[];
  /** Keeps every case run, with its behaviours. */
  readonly recorder?: CorpusRecorder;
  /** Where an interrupted campaign got to. */
  readonly resume?: CampaignResume;
  /** After each case, before the progress bar: where the campaign's journal is written. */
  readonly onCase?: (progress: CampaignProgress) => void;
  readonly requestTimeoutMs?: number;
  /** Judge every path against the reference model of the disk too. */
  readonly model?: boolean;
  /** Guests (or qtest QEMUs) running the campaign's cases at once. */
  readonly jobs: number;
  readonly transport: Transport;
  readonly draws?: CampaignDraws;
}

/** One guest, described as it boots; or, comparing builds, one guest per build. */
const executorsFor = (options: CampaignRunOptions, job: number): ExecutorSource => {
  const named = options.jobs > 1 ? `guest ${job + 1} of ${options.jobs}: ` : '';
  // A campaign's paths beyond the default topology's get the guest a case naming them gets on replay.
  const session = { qemu: options.qemu, accelerator: options.accel, requestTimeoutMs: options.requestTimeoutMs, topology: topologyOfPaths(options.paths) };
  if (options.baselineQemu) {
    if (job === 0) console.log(`comparing each path under ${options.qemu ?? 'the QEMU under test'} with itself under ${options.baselineQemu}`);
    const builds = [options.baselineQemu, options.qemu].map((qemu) =>
      options.transport === 'qtest' ? new QtestExecutors({ qemu, topology: session.topology }) : new GuestExecutors({ ...session, qemu }),
    );
    return new BuildPairExecutors(builds[0], builds[1]);
  }
  if (options.transport === 'qtest') {
    if (job === 0) console.log('frame level: QEMU under qtest, no guest; one QEMU case after case, a fresh one after a crash, a hang or a stray write');
    // No guest image below the frames: the transport takes its place in what the behaviours depend on.
    options.recorder?.useEnvironment(behaviourEnvironment({ qemuPath: locateQemu(options.qemu), imageKey: 'qtest frames', policy: options.policy }));
    return new QtestExecutors({ qemu: options.qemu, topology: session.topology });
  }
  return new GuestExecutors(session, (booted, unsaved) => {
    options.recorder?.useEnvironment(behaviourEnvironment({ qemuPath: booted.qemu.path, imageKey: booted.image.key, policy: options.policy }));
    if (booted.startedBy === 'resume') {
      console.log(`${named}a fresh guest, resumed from the saved booted one in ${(booted.bootMs / 1000).toFixed(2)} s`);
      return;
    }
    console.log(`${named}QEMU ${booted.qemu.version}, ${booted.accelerator.toUpperCase()}, guest booted in ${(booted.bootMs / 1000).toFixed(2)} s; paths:`);
    for (const path of booted.paths) console.log(`  ${path.id}: ${path.device.sgNode}, guest driver ${path.device.driver}`);
    if (unsaved) console.log(`${named}its state cannot be saved (${unsaved}): every fresh guest after a crash or hang boots`);
  });
};

/** A campaign on the default topology as the CLI runs it: a progress bar, cleanup on signals. */
export const campaignWithProgress = async (options: CampaignRunOptions): Promise<CampaignProgress> => {
  const executors = Array.from({ length: options.jobs }, (_, job) => executorsFor(options, job));
  const closeAll = async (): Promise<void> => {
    await Promise.all(executors.map((source) => source.close()));
  };
  const stop = new AbortController();
  stopOnSignals(() => {
    stop.abort();
    return closeAll();
  });
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {cases} cases | {rate} commands/s | {findings} causes',
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  let barStarted = false;
  try {
    const progress = await runCampaign({
      seed: options.seed,
      shard: options.shard,
      timeMs: options.time * 1000,
      maxCases: options.count,
      policy: options.policy,
      store: options.store,
      executors,
      known: options.known,
      corpus: options.corpus,
      oracles: () => modelOracles(options.model === true),
      onRun: (run) => options.recorder?.record(run),
      stop: stop.signal,
      resume: options.resume,
      generate: caseGenerator({ blocks: defaultTopology.diskBytes / blockBytes, blockBytes }, options.paths, {
        queueDepth: options.draws?.queueDepth ?? 1,
        hostEvents: options.draws?.hostEvents ?? false,
        qemuHoldsEveryDisk: (options.paths ?? defaultCasePaths).every((path) => pathKind(path).endsWith(':scsi-hd')),
      }),
      onCase: (now) => {
        options.onCase?.(now);
        const payload = {
          cases: now.cases,
          rate: ((now.commands / Math.max(1, now.elapsedMs)) * 1000).toFixed(0),
          findings: now.tallies.size,
        };
        const done = options.count !== undefined ? (now.cases / options.count) * 100 : (now.elapsedMs / (options.time * 1000)) * 100;
        if (!barStarted) bar.start(100, 0, payload);
        barStarted = true;
        bar.update(Math.min(100, Math.floor(done)), payload);
      },
    });
    bar.stop();
    console.log(
      `${progress.cases} cases, ${progress.commands} commands in ${(progress.elapsedMs / 1000).toFixed(0)} s; ` +
        `${options.jobs} guest(s); guest restarts: ${progress.restarts}; shrink runs: ${progress.shrinkRuns}`,
    );
    return progress;
  } finally {
    bar.stop();
    await closeAll();
  }
};
