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

/** A fresh guest per build the replay compares: one, or the baseline build's and the patched build's. */
const startSessions = async (testCase: Case, options: ReplayOptions): Promise<GuestSession[]> => {
  const builds = options.baselineQemu ? [options.baselineQemu, options.qemu] : [options.qemu];
  const requestTimeoutMs = options.commandTimeout === undefined ? undefined : options.commandTimeout * 1000;
  const started = await Promise.allSettled(
    builds.map((qemu) => GuestSession.start({ topology: topologyFor(testCase), qemu, accelerator: options.accel, requestTimeoutMs })),
  );
  const sessions = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []));
  const failed = started.find((each): each is PromiseRejectedResult => each.status === 'rejected');
  if (failed) {
    await Promise.all(sessions.map((session) => session.stop()));
    throw failed.reason;
  }
  return sessions;
};

const executorOf = (sessions: readonly GuestSession[]): Executor =>
  sessions.length === 2 ? new BuildPairExecutor(new GuestExecutor(sessions[0]), new GuestExecutor(sessions[1])) : new GuestExecutor(sessions[0]);

/** Boots fresh guests for the case, runs it on every path it names, and compares, as a campaign would. */
const replayOne = async (file: string, testCase: Case, options: ReplayOptions): Promise<CaseReport> => {
  let sessions: GuestSession[];
  try {
    sessions = await startSessions(testCase, options);
  } catch (error) {
    if (error instanceof UserError || error instanceof BootTimeout || error instanceof QemuExited) {
      return { file, verdict: 'error', divergences: [], signatures: [], error: error.message.split('\n')[0] };
    }
    throw error;
  }
  try {
    const run = await executorOf(sessions).run({ ...testCase, paths: testCase.paths ?? sessions[0].paths.map((path) => path.id) });
    // Between two builds the question is what the patch changed, as in a campaign; otherwise the model judges as in a campaign.
    const oracles = modelOracles(options.model && !options.baselineQemu);
    const divergences = runJudge(loadPolicy(options.policy ?? defaultPolicyFile), oracles)(run);
    const signatures = causesOf(divergences, run).map((signed) => ({ ...signed.signature, seenThrough: signed.seenThrough }));
    return { file, verdict: divergences.length > 0 ? 'diverge' : 'agree', divergences, signatures };
  } finally {
    await Promise.all(sessions.map((session) => session.stop()));
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
