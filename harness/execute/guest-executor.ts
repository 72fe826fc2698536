import { AgentTimeout } from '../guest/agent-client';
import { ExecResult, KernelLogRecord } from '../guest/messages';
import { Case, CaseStep, CommandStep, ResetStep } from '../case/case-types';
import { QemuExited } from '../qemu/machine-exit';
import { PathId } from '../qemu/topology';
import { GuestPath, GuestSession } from '../session/guest-session';
import { initialDiskContent } from '../session/disk-content';
import { CaseRun, PathRun, RunFailure } from './case-run';
import { diskAfter, initialDigestOf, markUntouched, restoreDisk } from './disk-state';
import { Executor } from './executor';
import { mayLeaveDeviceState, restoreTries, restoringCommands, takeSense } from './device-state-restore';
import { CommandOutcome, StepOutcome } from './step-outcome';
import { sgIoDelivery, sgIoResetDelivery } from '../guest/sg-io-delivery';
import { ScsiStatus } from '../scsi/status';
import { CodeBranch } from '../qemu/trace/code-branch';
import { commandBranches } from '../qemu/trace/command-branches';
import { phaseClock } from '../profile/phase-clock';

/** Data-in larger than this travels back as a digest only: equality is all the comparison needs of it, and the reply stays small. */
const fullDataUpTo = 4096;

type Segment = { readonly first: number; readonly steps: readonly CommandStep[] } | { readonly first: number; readonly reset: ResetStep };

/** Consecutive commands go to the guest as one batch; a reset stands alone. */
const segmentsOf = (steps: readonly CaseStep[]): Segment[] => {
  const segments: Segment[] = [];
  steps.forEach((step, index) => {
    const last = segments[segments.length - 1];
    if (step.kind === 'reset') segments.push({ first: index, reset: step });
    else if (last && 'steps' in last) (last.steps as CommandStep[]).push(step);
    else segments.push({ first: index, steps: [step] });
  });
  return segments;
};

const commandOutcome = (step: CommandStep, result: ExecResult, branches: readonly CodeBranch[]): CommandOutcome => ({
  kind: 'command',
  command: step.command,
  delivery: sgIoDelivery(result),
  status: result.status,
  sense: result.sense,
  residual: result.residual,
  dataIn: step.command.direction === 'from-device' && step.command.length <= fullDataUpTo ? result.dataIn : undefined,
  dataDigest: result.dataDigest,
  log: result.kernelLog,
  durationNs: result.durationNs,
  branches,
  transport: { transport: 'sg-io', errno: result.errno, hostStatus: result.hostStatus, driverStatus: result.driverStatus },
});

/** The target behind the passthrough paths exited while a batch was in flight. */
class TargetExited extends Error {}

/** What the guest said last, and QEMU's own word on the VM, which tells a paused or panicked guest from a stuck one. */
const hangDetail = (timeout: AgentTimeout, vmStatus: string | undefined): string =>
  `${timeout.message}\nQEMU's run state: ${vmStatus ?? 'QMP did not answer'}`;

/**
 * Runs cases through a booted guest, on every path in lockstep: step i goes to every path before step i+1
 * goes to any, so that a reset's effect on a sibling path sharing the HBA is the same on every HBA. Each
 * case starts from the case's initial disk content, restored on the host where a case changed it.
 */
/** Rounds of paths in which no two share a SCSI host: the first path of each host, then the second, and so on. */
const oneAPerHost = (paths: readonly GuestPath[]): GuestPath[][] => {
  const rounds: GuestPath[][] = [];
  const seen = new Map<number, number>();
  for (const path of paths) {
    const round = seen.get(path.device.host) ?? 0;
    seen.set(path.device.host, round + 1);
    (rounds[round] ??= []).push(path);
  }
  return rounds;
};

export class GuestExecutor implements Executor {
  private readonly knownDigests = new Map<string, string>();
  /** Paths whose device a case may have left with another block length or capacity than it started with. */
  private readonly stateUnsure = new Set<PathId>();
  /** Paths whose device may hold the sense of a command that failed in the last case (see `takeSense`). */
  private readonly sensePending = new Set<PathId>();

  constructor(private readonly session: GuestSession) {
    const initial = initialDigestOf(initialDiskContent(session.topology.diskBytes));
    for (const path of session.paths) this.knownDigests.set(path.backingFile, initial);
  }

  get qemuVersion(): string {
    return this.session.qemu.version;
  }

  get paths(): PathId[] {
    return this.session.paths.map((path) => path.id);
  }

  private pathsOf(testCase: Case): GuestPath[] {
    return (testCase.paths ?? this.paths).map((id) => this.session.path(id));
  }

  private initialContentOf(testCase: Case): Buffer {
    const bytes = testCase.disk?.bytes ?? this.session.topology.diskBytes;
    if (bytes !== this.session.topology.diskBytes) {
      throw new Error(`the case wants ${bytes}-byte disks; this guest's are ${this.session.topology.diskBytes} bytes`);
    }
    return testCase.disk?.content === 'zero' ? Buffer.alloc(bytes) : initialDiskContent(bytes);
  }

  async run(testCase: Case): Promise<CaseRun> {
    const paths = this.pathsOf(testCase);
    const initial = this.initialContentOf(testCase);
    const initialDigest = initialDigestOf(initial);
    for (const path of paths) {
      if (this.knownDigests.get(path.backingFile) !== initialDigest) {
        await phaseClock.time('disk restore (host)', async () => {
          await restoreDisk(path.backingFile, initial);
          await markUntouched(path.backingFile);
        });
        this.knownDigests.set(path.backingFile, initialDigest);
      }
    }
    const outcomes = new Map<PathId, StepOutcome[]>(paths.map((path) => [path.id, []]));
    let failure: RunFailure | undefined;
    let inFlight = 0;
    try {
      await phaseClock.time('device-state restore', async () => {
        await this.restoreDeviceState(paths.filter((path) => this.stateUnsure.has(path.id)));
        const withSense = paths.filter((path) => this.sensePending.delete(path.id));
        if (withSense.length > 0) await this.session.execMany(withSense.map((path) => ({ path, command: takeSense })));
      });
      if (mayLeaveDeviceState(testCase)) for (const path of paths) this.stateUnsure.add(path.id);
      // What the kernel still had to say about the last case (an error handler finishing late) is not this case's.
      await phaseClock.time('kernel-log read', () => this.session.agent.kernelLog());
      for (const segment of segmentsOf(testCase.steps)) {
        // The whole batch is in flight: the case must keep every step of it to show a failure.
        inFlight = 'reset' in segment ? segment.first : segment.first + segment.steps.length - 1;
        if ('reset' in segment) await phaseClock.time('resets', () => this.reset(paths, segment.reset, outcomes));
        else await this.commands(paths, segment.steps, outcomes);
      }
    } catch (error) {
      failure = await this.failureOf(error, inFlight);
    }
    // A target that died or stopped explains whatever the passthrough paths said, and a hang it caused: the target's finding, not QEMU's.
    const target = await this.session.targetFailure();
    if (target) failure = { kind: 'target', step: inFlight, detail: target, paths: paths.filter((path) => path.layout.disk === 'scsi-block').map((path) => path.id) };
    for (const path of paths) {
      if (outcomes.get(path.id)?.some((outcome) => outcome.kind === 'command' && outcome.status === ScsiStatus.checkCondition)) this.sensePending.add(path.id);
    }
    const runs: PathRun[] = [];
    for (const path of paths) {
      const disk = failure?.kind === 'crash' ? undefined : await phaseClock.time('disk read (host)', () => diskAfter(path.backingFile, initialDigest));
      if (disk) this.knownDigests.set(path.backingFile, disk.digest);
      else this.knownDigests.delete(path.backingFile);
      runs.push({ path: path.id, outcomes: outcomes.get(path.id) ?? [], disk });
    }
    return { case: testCase, initialContent: initial, runs, failure };
  }

  /**
   * Each case starts from 512-byte logical blocks and the whole capacity, as it starts from its disk content:
   * what an earlier case selected or made scsi-block snoop would otherwise change what later cases see (a
   * smaller capacity, LBAs out of range, reads at other offsets), and a case would no longer replay from its
   * file alone.
   */
  private async restoreDeviceState(paths: readonly GuestPath[]): Promise<void> {
    let pending = paths;
    for (let attempt = 0; attempt < restoreTries && pending.length > 0; attempt++) {
      const batch = pending.flatMap((path) => restoringCommands.map((command) => ({ path, command })));
      const results = await this.session.execMany(batch);
      const good = (index: number) => results[index].errno === 0 && results[index].hostStatus === 0 && results[index].status === 0;
      for (const [index, path] of pending.entries()) {
        if (restoringCommands.every((_, each) => good(index * restoringCommands.length + each))) this.stateUnsure.delete(path.id);
      }
      pending = pending.filter((path) => this.stateUnsure.has(path.id));
    }
  }

  /** A failure of QEMU, of the guest or of the target is a finding; any other error is the harness's own and propagates. */
  private async failureOf(error: unknown, step: number): Promise<RunFailure> {
    if (error instanceof TargetExited) return { kind: 'target', step, detail: (await this.session.targetFailure()) ?? 'the target exited' };
    if (error instanceof QemuExited) return { kind: 'crash', step, detail: error.message };
    if (error instanceof AgentTimeout) return { kind: 'hang', step, detail: hangDetail(error, await this.session.vmStatus()) };
    throw error;
  }

  private async commands(paths: readonly GuestPath[], steps: readonly CommandStep[], outcomes: Map<PathId, StepOutcome[]>) {
    const lockstep = steps.flatMap((step) => paths.map((path) => ({ step, path })));
    const mark = this.session.trace.mark();
    const batch = this.session.execMany(
      lockstep.map(({ step, path }) => ({
        path,
        command: step.command,
        timeoutMs: step.timeoutMs,
        digestOnly: step.command.length > fullDataUpTo,
      })),
    );
    // The guest's commands to a dead target would wait out their timeouts: the target's exit ends the batch at once.
    const results = await phaseClock.time('command batches (round trip)', () =>
      Promise.race([batch, this.session.targetExit.then(() => Promise.reject(new TargetExited()))]),
    );
    const sent = lockstep.map(({ step, path }, index) => ({
      target: path.layout.target,
      opcode: step.command.cdb[0],
      reached: results[index].errno === 0,
      answeredByGuest: path.layout.hba.trace.answeredByGuest?.(step.command.cdb[0]),
    }));
    const branches = phaseClock.timeSync('trace windows', () => commandBranches(this.session.trace.eventsSince(mark), this.session.traceCatalog, sent));
    lockstep.forEach(({ step, path }, index) => outcomes.get(path.id)?.push(commandOutcome(step, results[index], branches[index])));
  }

  /**
   * The paths' resets at once where they are on different SCSI hosts (a bus or host reset holds its ioctl for
   * the guest kernel's 10 s settle), one after the other where they share one; each round's kernel messages
   * go with every path of the round, so that none of them lands on the next command of one path only.
   */
  private async reset(paths: readonly GuestPath[], step: ResetStep, outcomes: Map<PathId, StepOutcome[]>) {
    const done = new Map<PathId, { errno: number; kernelLog: KernelLogRecord[] }>();
    for (const round of oneAPerHost(paths.filter((path) => step.path === undefined || step.path === path.id))) {
      const errnos = await this.session.agent.reset(round.map((path) => path.device.sgNode), step.reset);
      const kernelLog = await this.session.agent.kernelLog();
      round.forEach((path, index) => done.set(path.id, { errno: errnos[index], kernelLog }));
    }
    for (const path of paths) {
      const reset = done.get(path.id);
      outcomes.get(path.id)?.push({ kind: 'reset', delivery: sgIoResetDelivery(reset?.errno ?? 0), skipped: reset === undefined, log: reset?.kernelLog ?? [] });
    }
  }
}

