import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpstreamVerdict } from '../baseline/baseline';
import { loadBaselineFor } from '../baseline/load-baseline';
import { replayBaseline } from '../baseline/replay-baseline';
import { unexplained, updateBaseline } from '../baseline/update-baseline';
import { writeBaseline } from '../baseline/write-baseline';
import { GuestExecutors } from '../campaign/guest-executors';
import { QtestExecutors } from '../qtest/qtest-executors';
import { frameLevelModels } from '../qtest/frame-drivers';
import { locateQtestQemu } from '../qtest/qtest-qemu';
import { FrameLevelVerdict, replayAtFrameLevel } from '../baseline/frame-level-replay';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { Policy } from '../diff/policy';
import { RunJudge, runJudge } from '../diff/run-judge';
import { modelOracles } from '../model/model-judge';
import { Executor } from '../execute/executor';
import { ExecutorPerTopology } from '../execute/executor-per-topology';
import { FindingsStore } from '../findings/findings-store';
import { readFindings, StoredFinding } from '../findings/read-findings';
import { locateQemu, probeQemu } from '../qemu/binary';
import { AcceleratorChoice } from '../session/accelerator';
import { reproduceSignature } from '../shrink/reproduce-signature';
import { shrinkFinding, uniformShrinkBudget } from '../shrink/shrink-finding';
import { campaignWithProgress } from './campaign-with-progress';
import { stopOnSignals } from './stop-on-signals';

export interface BaselineUpdateOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly policy?: string;
  readonly findings?: string[];
  readonly seed?: number;
  readonly time: number;
  readonly count?: number;
  readonly maxSteps: number;
  /** Guests running the campaign at once. */
  readonly jobs: number;
}

interface Collected {
  /** Findings written: new signatures, shrunk. */
  readonly found: readonly StoredFinding[];
  /** Every signature seen, known ones included. */
  readonly seen: ReadonlySet<string>;
}

/**
 * What the findings were, from directories given or from a campaign run now; the campaign writes (and
 * shrinks) only what the baseline does not know yet, and counts the rest as seen.
 */
const collectFindings = async (options: BaselineUpdateOptions, policy: Policy, known: ReadonlySet<string>): Promise<Collected> => {
  if (options.findings) {
    const found = (await Promise.all(options.findings.map(readFindings))).flat();
    return { found, seen: new Set(found.map((finding) => finding.signature)) };
  }
  const directory = mkdtempSync(join(tmpdir(), 'hbadiff-baseline-'));
  try {
    const seed = options.seed ?? randomInt(2 ** 31 - 1);
    console.log(`campaign: seed ${seed}, ${options.count !== undefined ? `${options.count} cases` : `${options.time} s`}`);
    const progress = await campaignWithProgress({
      qemu: options.qemu,
      accel: options.accel,
      seed,
      time: options.time,
      count: options.count,
      policy,
      known,
      model: true,
      transport: 'guest',
      store: new FindingsStore(directory),
      jobs: options.jobs,
    });
    return { found: await readFindings(directory), seen: new Set(progress.tallies.keys()) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};

/** A baseline entry must be a case a person can read at a glance: longer ones are shrunk again, harder. */
const shrinkLong = async (found: readonly StoredFinding[], executor: Executor, judge: RunJudge, maxSteps: number): Promise<StoredFinding[]> => {
  const result: StoredFinding[] = [];
  for (const finding of found) {
    if (finding.case.steps.length <= maxSteps) {
      result.push(finding);
      continue;
    }
    const shown = await reproduceSignature(executor, judge, finding.signature)(finding.case);
    if (!shown) {
      console.log(`  ${finding.signature} ${finding.text}: its case (${finding.case.steps.length} steps) did not show it again; kept as it is`);
      result.push(finding);
      continue;
    }
    const shrunk = await shrinkFinding(executor, judge, { id: finding.signature, text: finding.text }, shown, uniformShrinkBudget(120, 300_000));
    console.log(`  ${finding.signature} ${finding.text}: ${finding.case.steps.length} -> ${shrunk.case.steps.length} steps in ${shrunk.attempts} runs`);
    result.push({ ...finding, case: { ...shrunk.case, provenance: finding.case.provenance } });
  }
  return result;
};

/**
 * `hbadiff baseline update`: the baseline of the QEMU under test, rewritten from a campaign (or from
 * findings directories), every change printed: signatures added (marked unexplained until a person writes
 * the reason), kept, and dropped because their case no longer shows them.
 */
export const baselineUpdateCommand = async (options: BaselineUpdateOptions): Promise<void> => {
  const policy = loadPolicy(options.policy ?? defaultPolicyFile);
  const qemu = await probeQemu(locateQemu(options.qemu));
  const old = await loadBaselineFor(qemu.version);
  const collected = await collectFindings(options, policy, new Set(old.entries.map((entry) => entry.signature)));
  const executor = new ExecutorPerTopology((topology) => new GuestExecutors({ qemu: options.qemu, accelerator: options.accel, topology }));
  stopOnSignals(() => executor.close());
  try {
    const judge = runJudge(policy, modelOracles(true));
    const found = await shrinkLong(collected.found, executor, judge, options.maxSteps);
    const unseen = { ...old, entries: old.entries.filter((entry) => !collected.seen.has(entry.signature)) };
    const replay = await replayBaseline(unseen, executor, judge);
    const changes = updateBaseline(old, found, collected.seen, replay);
    writeBaseline({ ...old, packageVersion: qemu.packageVersion, entries: changes.entries });
    console.log(`${old.file}: ${changes.entries.length} signature(s): ${changes.added.length} added, ${changes.kept.length} kept, ${changes.dropped.length} dropped`);
    for (const entry of changes.added) console.log(`  + ${entry.signature} ${entry.text}`);
    for (const entry of changes.dropped) console.log(`  - ${entry.signature} ${entry.text} (its case no longer shows it: fixed?)`);
    const needReason = changes.entries.filter((entry) => entry.reason === unexplained).length;
    if (needReason > 0) console.log(`${needReason} entr${needReason === 1 ? 'y needs' : 'ies need'} a reason: edit "reason" in ${old.file}`);
  } finally {
    await executor.close();
  }
};

export interface BaselineUpstreamOptions {
  /** The other build: a newer QEMU release, such as Debian 13's (`npm run qemu-trixie`). */
  readonly upstreamQemu: string;
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly policy?: string;
}

/**
 * `hbadiff baseline upstream --upstream-qemu B`: replays every entry of the QEMU under test's baseline on
 * build B and records, per entry, whether B still shows its cause, so that the findings that matter for
 * current QEMU stand out.
 */
export const baselineUpstreamCommand = async (options: BaselineUpstreamOptions): Promise<void> => {
  const policy = loadPolicy(options.policy ?? defaultPolicyFile);
  const qemu = await probeQemu(locateQemu(options.qemu));
  const upstream = await probeQemu(locateQemu(options.upstreamQemu));
  const baseline = await loadBaselineFor(qemu.version);
  const executor = new ExecutorPerTopology((topology) => new GuestExecutors({ qemu: upstream.path, accelerator: options.accel, topology }));
  stopOnSignals(() => executor.close());
  try {
    const replay = await replayBaseline(baseline, executor, runJudge(policy, modelOracles(true)), (entry, shown) =>
      console.log(`  ${shown ? 'reproduces' : 'gone      '}  ${entry.signature} ${entry.text}`),
    );
    const verdictOf = (signature: string): UpstreamVerdict => (replay.reproduced.some((entry) => entry.signature === signature) ? 'reproduces' : 'gone');
    const entries = baseline.entries.map((entry) => ({ ...entry, upstream: { ...entry.upstream, [upstream.version]: verdictOf(entry.signature) } }));
    writeBaseline({ ...baseline, entries });
    console.log(`${baseline.file}: on QEMU ${upstream.version}, ${replay.reproduced.length} of ${entries.length} cause(s) reproduce, ${replay.fixed.length} are gone`);
  } finally {
    await executor.close();
  }
};

export interface BaselineFrameLevelOptions {
  /** A QEMU with the qtest accelerator; its version picks the baseline. */
  readonly qemu?: string;
  readonly policy?: string;
}

const frameLevelLine = (verdict: FrameLevelVerdict): string => {
  const head = `  ${verdict.verdict.padEnd(15)} ${verdict.entry.signature} ${verdict.entry.text}`;
  if (verdict.verdict === 'no frame driver') return `${head} (${verdict.hbas.join(', ')})`;
  if (verdict.verdict === 'reproduces') return head;
  return `${head}\n${' '.repeat(19)}at frame level: ${verdict.frameCauses.length === 0 ? 'no cause' : verdict.frameCauses.map((cause) => cause.text).join('; ')}`;
};

/**
 * `hbadiff baseline frame-level`: replays every entry of the QEMU's baseline over qtest, hbadiff's own frames and
 * no guest, and says which causes are QEMU's (they reproduce) and which the guest's (they vanish).
 */
export const baselineFrameLevelCommand = async (options: BaselineFrameLevelOptions): Promise<void> => {
  const policy = loadPolicy(options.policy ?? defaultPolicyFile);
  const qemu = await probeQemu(await locateQtestQemu(options.qemu));
  const baseline = await loadBaselineFor(qemu.version);
  const executor = new ExecutorPerTopology((topology) => new QtestExecutors({ qemu: qemu.path, topology }));
  stopOnSignals(() => executor.close());
  try {
    const verdicts = await replayAtFrameLevel(baseline, executor, runJudge(policy, modelOracles(true)), frameLevelModels, (verdict) => console.log(frameLevelLine(verdict)));
    const count = (which: FrameLevelVerdict['verdict']) => verdicts.filter((verdict) => verdict.verdict === which).length;
    console.log(
      `${baseline.file} at frame level on QEMU ${qemu.version}: ${count('reproduces')} cause(s) reproduce, ${count('vanishes')} vanish, ` +
        `${count('no frame driver')} name an HBA with no frame driver`,
    );
  } finally {
    await executor.close();
  }
};
