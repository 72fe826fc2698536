import { loadCase } from '../case/load-case';
import { Case } from '../case/case-types';
import { runJudge } from '../diff/run-judge';
import { modelOracles } from '../model/model-judge';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { Divergence } from '../diff/divergence';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { BuildPairExecutor } from '../execute/build-pair-executor';
import { Executor } from '../execute/executor';
import { GuestExecutor } from '../execute/guest-executor';
import { Sighting, Signature } from '../findings/signature';
import { causesOf } from '../findings/causes';
import { BootTimeout, QemuExited } from '../qemu/machine-exit';
import { PathId } from '../qemu/topology';
import { AcceleratorChoice } from '../session/accelerator';
import { topologyFor } from '../session/case-topology';
import { GuestSession } from '../session/guest-session';
import { Transport } from '../execute/transport';
import { QtestExecutor } from '../qtest/qtest-executor';
import { locateQtestQemu } from '../qtest/qtest-qemu';
import { probeQemu } from '../qemu/binary';

export interface ReplayOptions {
  readonly qemu?: string;
  /** Compare each path with itself under this build instead of the paths with each other. */
  readonly baselineQemu?: string;
  /** commander's name for `--no-model`: judge every path against the reference model of the disk too, as a campaign does. */
  readonly model: boolean;
  readonly accel?: AcceleratorChoice;
  readonly policy?: string;
  readonly json?: boolean;
  readonly commandTimeout?: number;
  readonly transport: Transport;
}

type Verdict = 'agree' | 'diverge' | 'error';

interface CaseReport {
  readonly file: string;
  readonly verdict: Verdict;
  readonly divergences: readonly Divergence[];
  /** The causes the divergences are filed under, as a campaign would file them, each with the commands and fields that showed it. */
  readonly signatures: readonly (Signature & { readonly seenThrough: readonly Sighting[] })[];
  readonly error?: string;
}

/** The executor a replay runs its case on, and how to end it. */
interface OpenExecutor {
  readonly executor: Executor;
  close(): Promise<void>;
}

/** Opens one per build, all or none: what did open is closed again when another failed. */
const openAll = async <T>(builds: readonly (string | undefined)[], open: (qemu: string | undefined) => Promise<T>, close: (opened: T) => Promise<void>): Promise<T[]> => {
  const started = await Promise.allSettled(builds.map(open));
  const opened = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []));
  const failed = started.find((each): each is PromiseRejectedResult => each.status === 'rejected');
  if (failed) {
    await Promise.all(opened.map(close));
    throw failed.reason;
  }
  return opened;
};

const pairedOrSingle = (executors: readonly Executor[]): Executor => (executors.length === 2 ? new BuildPairExecutor(executors[0], executors[1]) : executors[0]);

/** A fresh guest per build the replay compares (one, or the baseline build's and the patched build's); or, at frame level, a qtest QEMU per build. */
const openExecutor = async (testCase: Case, options: ReplayOptions): Promise<OpenExecutor> => {
  const builds = options.baselineQemu ? [options.baselineQemu, options.qemu] : [options.qemu];
  const topology = topologyFor(testCase);
  if (options.transport === 'qtest') {
    const executors = await openAll(builds, async (qemu) => QtestExecutor.open(await probeQemu(await locateQtestQemu(qemu)), topology), (executor) => executor.close());
    return { executor: pairedOrSingle(executors), close: async () => void (await Promise.all(executors.map((executor) => executor.close()))) };
  }
  const requestTimeoutMs = options.commandTimeout === undefined ? undefined : options.commandTimeout * 1000;
  const sessions = await openAll(builds, (qemu) => GuestSession.start({ topology, qemu, accelerator: options.accel, requestTimeoutMs }), (session) => session.stop());
  return {
    executor: pairedOrSingle(sessions.map((session) => new GuestExecutor(session))),
    close: async () => void (await Promise.all(sessions.map((session) => session.stop()))),
  };
};

/** Opens fresh executors for the case, runs it on every path it names, and compares, as a campaign would. */
const replayOne = async (file: string, testCase: Case, options: ReplayOptions): Promise<CaseReport> => {
  let opened: OpenExecutor;
  try {
    opened = await openExecutor(testCase, options);
  } catch (error) {
    if (error instanceof UserError || error instanceof BootTimeout || error instanceof QemuExited) {
      return { file, verdict: 'error', divergences: [], signatures: [], error: error.message.split('\n')[0] };
    }
    throw error;
  }
  try {
    const run = await opened.executor.run({ ...testCase, paths: testCase.paths ?? opened.executor.paths });
    // Between two builds the question is what the patch changed, as in a campaign; otherwise the model judges as in a campaign.
    const oracles = modelOracles(options.model && !options.baselineQemu);
    const divergences = runJudge(loadPolicy(options.policy ?? defaultPolicyFile), oracles)(run);
    const signatures = causesOf(divergences, run).map((signed) => ({ ...signed.signature, seenThrough: signed.seenThrough }));
    return { file, verdict: divergences.length > 0 ? 'diverge' : 'agree', divergences, signatures };
  } finally {
    await opened.close();
  }
};

const describe = (report: CaseReport): string[] => [
  `${report.file}: ${report.verdict}${report.error ? ` (${report.error})` : ''}`,
  ...report.divergences.map((divergence) =>
    divergence.model
      ? `  step ${divergence.step}, ${divergence.field}: model = ${divergence.values[0]}; ${divergence.paths.join(', ')} = ${divergence.values[1]}`
      : `  step ${divergence.step}, ${divergence.field}: ${divergence.paths
          .map((path: PathId, index) => `${path} = ${divergence.values[index] ?? divergence.values[0]}`)
          .join('; ')}`,
  ),
  ...report.signatures.map((signature) => `  cause ${signature.id} ${signature.text}`),
];

/**
 * `hbadiff replay CASE...`: exit 0 when every path agrees on every case, 1 when a divergence, a crash or a
 * hang is reproduced, 125 when a case could not be tested (no QEMU, no boot, a missing device), so that
 * `git bisect run hbadiff replay --qemu ./build/qemu-system-x86_64 case.json` works as it is.
 */
export const replayCommand = async (files: readonly string[], options: ReplayOptions): Promise<number> => {
  const cases = await Promise.all(files.map(async (file) => ({ file, testCase: await loadCase(file) })));
  const reports: CaseReport[] = [];
  for (const { file, testCase } of cases) reports.push(await replayOne(file, testCase, options));
  const verdict: Verdict = reports.some((report) => report.verdict === 'error')
    ? 'error'
    : reports.some((report) => report.verdict === 'diverge')
      ? 'diverge'
      : 'agree';
  if (options.json) {
    const divergences = reports.flatMap((report) => report.divergences.map((divergence) => ({ case: report.file, ...divergence })));
    console.log(JSON.stringify({ verdict, divergences, cases: reports }, null, 2));
  } else for (const report of reports) for (const line of describe(report)) console.log(line);
  return verdict === 'agree' ? 0 : verdict === 'diverge' ? 1 : cannotTestExitCode;
};
