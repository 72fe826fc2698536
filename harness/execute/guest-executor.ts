import { AgentTimeout } from '../guest/agent-client';
import { ExecResult, KernelLogRecord } from '../guest/messages';
import { Case, CaseStep, CommandStep, HostEvent, HostStep, ResetStep } from '../case/case-types';
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
import { decodeSense } from '../scsi/sense';
import { CodeBranch } from '../qemu/trace/code-branch';
import { commandBranches } from '../qemu/trace/command-branches';
import { phaseClock } from '../profile/phase-clock';
import { delay } from '../process/delay';
import { settlesWithin } from '../process/within';
import { describeHostEvent } from '../case/host-event';

/**
 * After a host event the guest has until its kernel is quiet this long to hear of it (virtio-scsi's PARAM_CHANGE
 * or hot-plug event and the rescan it starts), polled this often, and this long at most.
 */
const hostEventQuietMs = 300;
const hostEventPollMs = 50;
const hostEventSettleMaxMs = 3_000;
/** How long after a QMP command failed QEMU's exit may take to be noticed. */
const qemuExitNoticeMs = 2_000;

/** Data-in larger than this travels back as a digest only: equality is all the comparison needs of it, and the reply stays small. */
const fullDataUpTo = 4096;

/** What one batch to the guest carries: commands, and the resets queued among them. */
type BatchStep = CommandStep | ResetStep;

/** One entry of a batch: a step on one path (a reset only on the paths it is aimed at). */
interface BatchEntry {
  readonly step: BatchStep;
  readonly path: GuestPath;
}

type Segment =
  | { readonly first: number; readonly steps: readonly BatchStep[] }
  | { readonly first: number; readonly reset: ResetStep }
  | { readonly first: number; readonly host: HostStep };

/** Consecutive commands, and the resets queued among them, go to the guest as one batch; another reset or a host event stands alone. */
const segmentsOf = (steps: readonly CaseStep[]): Segment[] => {
  const segments: Segment[] = [];
  steps.forEach((step, index) => {
    const last = segments[segments.length - 1];
    if (step.kind === 'reset' && !step.queued) segments.push({ first: index, reset: step });
    else if (step.kind === 'host') segments.push({ first: index, host: step });
    else if (last && 'steps' in last) (last.steps as BatchStep[]).push(step);
    else segments.push({ first: index, steps: [step] });
  });
  return segments;
};

/** What a host event did on one path, or why it did nothing there. */
type HostEventResult = { readonly completion: string } | { readonly notCarriedOut: string };

const commandOutcome = (step: CommandStep, result: ExecResult, log: readonly KernelLogRecord[], branches: readonly CodeBranch[], completedAs: number | undefined): CommandOutcome => ({
  kind: 'command',
  command: step.command,
  delivery: sgIoDelivery(result),
  status: result.status,
  sense: result.sense,
  residual: result.residual,
  dataIn: step.command.direction === 'from-device' && step.command.length <= fullDataUpTo ? result.dataIn : undefined,
  dataDigest: result.dataDigest,
  log,
  durationNs: result.durationNs,
  branches,
  ...(completedAs !== undefined && { completedAs }),
  transport: { transport: 'sg-io', errno: result.errno, hostStatus: result.hostStatus, driverStatus: result.driverStatus },
});

/**
 * Each queued entry's rank among the completions of its group on its own path: a group is a run of
 * consecutive queued steps, and the agent ranks completions across the whole batch.
 */
const completionRanks = (lockstep: readonly BatchEntry[], results: readonly ExecResult[]): (number | undefined)[] => {
  const ranks: (number | undefined)[] = lockstep.map(() => undefined);
  let group = 0;
  const groupOf = lockstep.map(({ step }, index) => {
    if (step.queued && (index === 0 || !lockstep[index - 1].step.queued)) group++;
    return step.queued ? group : undefined;
  });
  const members = new Map<string, number[]>();
  groupOf.forEach((id, index) => {
    if (id === undefined) return;
    const key = `${id} ${lockstep[index].path.id}`;
    members.set(key, [...(members.get(key) ?? []), index]);
  });
  for (const indexes of members.values()) {
    [...indexes].sort((a, b) => results[a].completion - results[b].completion).forEach((index, rank) => (ranks[index] = rank));
  }
  return ranks;
};

/**
 * Each entry's kernel records. The agent gives a queued run's records, logged while all of it was in flight,
 * to the run's first entry, which is one path's: every path's first command step of the group gets them
 * instead, since nothing in a record tells which path's command it came of.
 */
const kernelLogs = (lockstep: readonly BatchEntry[], results: readonly ExecResult[]): (readonly KernelLogRecord[])[] => {
  const logs: (readonly KernelLogRecord[])[] = results.map((result) => result.kernelLog);
  for (let start = 0; start < lockstep.length; start++) {
    if (!lockstep[start].step.queued || (start > 0 && lockstep[start - 1].step.queued)) continue;
    let end = start;
    while (end < lockstep.length && lockstep[end].step.queued) end++;
    const first = lockstep.slice(start, end).find((entry) => entry.step.kind === 'command')?.step;
    if (first === undefined) continue;
    const groupLog = results[start].kernelLog;
    // The agent gives the other entries of the run no records of their own.
    for (let index = start; index < end; index++) logs[index] = lockstep[index].step === first ? groupLog : [];
  }
  return logs;
};

/** A reset step's outcome on one path: its ioctl's errno and records where it was carried out there, skipped where it was not. */
const resetOutcome = (done: { readonly errno: number; readonly log: readonly KernelLogRecord[] } | undefined): StepOutcome => ({
  kind: 'reset',
  delivery: sgIoResetDelivery(done?.errno ?? 0),
  skipped: done === undefined,
  log: done?.log ?? [],
});

/** A reset reaches the device of the one path it names, or of every path when it names none. */
const resetAimedAt = (step: ResetStep, path: GuestPath): boolean => step.path === undefined || step.path === path.id;

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
  /** Paths whose disk a case resized: given their size back before the next case restores their content. */
  private readonly resized = new Set<PathId>();
  /** Paths whose disk a case unplugged and did not plug back: plugged back before the next case. */
  private readonly unplugged = new Set<PathId>();
  /** Paths whose disk a case gave a run-time I/O error: back on its plain file before the next case. */
  private readonly faulted = new Set<PathId>();
  /** Paths whose disk a case snapshotted: committed back into its image when the case ends, before its content is read. */
  private readonly snapshotted = new Set<PathId>();
  /** Paths whose disk a case holds (a `hold`), each with the release its timer starts, or the case's end at the latest. */
  private readonly held = new Map<PathId, { readonly timer: NodeJS.Timeout; release?: Promise<void> }>();

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
    let paths = this.pathsOf(testCase);
    const initial = this.initialContentOf(testCase);
    const initialDigest = initialDigestOf(initial);
    await this.putBackFromHost(paths);
    // A disk plugged back may have another sg node.
    paths = this.pathsOf(testCase);
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
        await this.takeSenses(paths.filter((path) => this.sensePending.delete(path.id)));
      });
      if (mayLeaveDeviceState(testCase)) for (const path of paths) this.stateUnsure.add(path.id);
      // What the kernel still had to say about the last case (an error handler finishing late) is not this case's.
      await phaseClock.time('kernel-log read', () => this.session.agent.kernelLog());
      for (const segment of segmentsOf(testCase.steps)) {
        // The whole batch is in flight: the case must keep every step of it to show a failure.
        inFlight = 'steps' in segment ? segment.first + segment.steps.length - 1 : segment.first;
        if ('reset' in segment) await phaseClock.time('resets', () => this.reset(paths, segment.reset, outcomes));
        else if ('host' in segment) {
          await phaseClock.time('host events', () => this.hostEvent(paths, segment.host, outcomes)).catch((error: unknown) => this.qemuExitBehind(error));
          paths = this.pathsOf(testCase);
        }
        else await this.commands(paths, segment.steps, outcomes);
      }
    } catch (error) {
      failure = await this.failureOf(error, inFlight);
    }
    // The holds end and the snapshots go back into the images before their content is read; a QEMU that died has neither.
    if (failure?.kind !== 'crash') {
      try {
        await this.releaseHolds(paths).catch((error: unknown) => this.qemuExitBehind(error));
        await this.commitSnapshots(paths).catch((error: unknown) => this.qemuExitBehind(error));
      } catch (error) {
        failure = await this.failureOf(error, inFlight);
      }
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
   * What the last case's host events left is put back before this one: its unplugged disks plugged in, its
   * resized disks given the topology's size, so that the content restore writes a disk of that size. Either
   * leaves a unit attention (power on, a new capacity), which the device-state restore takes.
   */
  private async putBackFromHost(paths: readonly GuestPath[]): Promise<void> {
    for (const path of paths.filter((each) => this.unplugged.delete(each.id))) {
      await this.session.plug(path);
      this.sensePending.add(path.id);
    }
    for (const path of paths.filter((each) => this.faulted.delete(each.id))) await this.session.clearFault(path);
    for (const path of paths.filter((each) => this.resized.delete(each.id))) {
      await this.session.resize(path, this.session.topology.diskBytes);
      this.knownDigests.delete(path.backingFile);
      this.stateUnsure.add(path.id);
    }
    for (const path of paths) if (this.stateUnsure.has(path.id)) this.sensePending.add(path.id);
  }

  /**
   * A host event on every path it reaches (a pause on the whole VM at once), then what the guest kernel said
   * of it, for every path: the guest's driver may have been told of a new capacity or a LUN gone.
   */
  private async hostEvent(paths: readonly GuestPath[], step: HostStep, outcomes: Map<PathId, StepOutcome[]>) {
    const event = step.event;
    const results = new Map<PathId, HostEventResult>();
    if (event.kind === 'pause') {
      await this.session.pause();
      for (const path of paths) results.set(path.id, { completion: describeHostEvent(event) });
    } else if (event.kind === 'unplug') {
      // A snapshot's overlay would stay behind the device gone, holding the disk's node a plug needs.
      const plugged = paths.filter((path) => !this.unplugged.has(path.id) && !this.snapshotted.has(path.id));
      const guest = await this.session.unplug(plugged);
      for (const path of paths) {
        const seen = guest.get(path.id);
        if (seen) {
          results.set(path.id, { completion: `disk unplugged; the guest ${seen === 'gone' ? 'let go of it' : 'still shows it'}` });
          this.unplugged.add(path.id);
        } else results.set(path.id, { notCarriedOut: this.snapshotted.has(path.id) ? 'the disk has a snapshot on it' : 'the disk is unplugged already' });
      }
    } else {
      for (const path of paths) results.set(path.id, await this.hostEventOn(path, event));
    }
    const log = await this.quietKernelLog();
    for (const path of paths) {
      const result = results.get(path.id) as HostEventResult;
      outcomes.get(path.id)?.push({
        kind: 'host',
        delivery: 'completion' in result ? { answered: true, problem: undefined, completion: result.completion } : { answered: false, problem: result.notCarriedOut, completion: 'not carried out' },
        skipped: 'notCarriedOut' in result,
        log,
      });
    }
  }

  /**
   * Each hold of the case released: the ones whose time is up already were released by their timer, while
   * the case ran on (a group in flight across the moment); the others now, as the case ends.
   */
  private async releaseHolds(paths: readonly GuestPath[]): Promise<void> {
    for (const path of paths) {
      const hold = this.held.get(path.id);
      if (!hold) continue;
      this.held.delete(path.id);
      clearTimeout(hold.timer);
      // An unplugged disk's throttle went with its device.
      if (hold.release) await hold.release;
      else if (!this.unplugged.has(path.id)) await this.session.release(path);
    }
  }

  /** Each snapshot of the case committed back into its disk's image, which the content read and the next case see. */
  private async commitSnapshots(paths: readonly GuestPath[]): Promise<void> {
    for (const path of paths.filter((each) => this.snapshotted.delete(each.id))) await phaseClock.time('host events', () => this.session.commitSnapshot(path));
  }

  /**
   * A host event's QMP command fails when QEMU died under it (the connection closes): that is QEMU's crash,
   * said as the agent says it once QEMU's exit reaches it, not the harness's error.
   */
  private async qemuExitBehind(error: unknown): Promise<never> {
    await settlesWithin(this.session.machine.exited, qemuExitNoticeMs);
    throw this.session.agent.closedReason instanceof QemuExited ? this.session.agent.closedReason : error;
  }

  /**
   * What the guest kernel says until it has said nothing for a while: its driver hears of a new capacity or a
   * LUN from virtio-scsi's event queue on its own time, and its messages are the event's, not the next command's.
   */
  private async quietKernelLog(): Promise<KernelLogRecord[]> {
    const records: KernelLogRecord[] = [];
    const deadline = Date.now() + hostEventSettleMaxMs;
    let quietSince = Date.now();
    while (Date.now() - quietSince < hostEventQuietMs && Date.now() < deadline) {
      await delay(hostEventPollMs);
      const more = await this.session.agent.kernelLog();
      if (more.length > 0) quietSince = Date.now();
      records.push(...more);
    }
    return records;
  }

  private async hostEventOn(path: GuestPath, event: Exclude<HostEvent, { kind: 'pause' | 'unplug' }>): Promise<HostEventResult> {
    switch (event.kind) {
      case 'resize':
        if (path.layout.disk !== 'scsi-hd') return { notCarriedOut: "a passed-through LUN is the target's to resize" };
        if (this.unplugged.has(path.id)) return { notCarriedOut: 'the disk is unplugged' };
        if (this.snapshotted.has(path.id)) return { notCarriedOut: "the disk has a snapshot on it, whose overlay QEMU would not resize with it" };
        await this.session.resize(path, event.bytes);
        this.resized.add(path.id);
        this.sensePending.add(path.id);
        return { completion: describeHostEvent(event) };
      case 'plug':
        if (!this.unplugged.delete(path.id)) return { notCarriedOut: 'the disk is plugged in' };
        await this.session.plug(path);
        this.sensePending.add(path.id);
        return { completion: describeHostEvent(event) };
      case 'snapshot':
        if (path.layout.disk !== 'scsi-hd') return { notCarriedOut: "a passed-through LUN is the target's to snapshot" };
        if (this.unplugged.has(path.id)) return { notCarriedOut: 'the disk is unplugged' };
        if (this.snapshotted.has(path.id)) return { notCarriedOut: 'the disk has a snapshot on it already' };
        await this.session.snapshot(path);
        this.snapshotted.add(path.id);
        return { completion: describeHostEvent(event) };
      case 'hold': {
        if (path.layout.disk !== 'scsi-hd') return { notCarriedOut: "a passed-through LUN's requests pass QEMU's throttle by" };
        if (this.unplugged.has(path.id)) return { notCarriedOut: 'the disk is unplugged' };
        if (this.held.has(path.id)) return { notCarriedOut: 'the disk is held already' };
        // The read that fills the throttle would meet an armed fault before any of the guest's requests.
        if (this.faulted.has(path.id) || path.layout.faults.length > 0) return { notCarriedOut: 'the disk has an I/O error armed' };
        await this.session.hold(path, event.ms);
        const hold: { timer: NodeJS.Timeout; release?: Promise<void> } = {
          timer: setTimeout(() => {
            // A QEMU that died meanwhile fails the release; the case's failure says so, not this timer.
            hold.release = this.session.release(path).catch(() => undefined);
          }, event.ms),
        };
        this.held.set(path.id, hold);
        return { completion: describeHostEvent(event) };
      }
      case 'io-error':
        if (path.layout.disk !== 'scsi-hd') return { notCarriedOut: "a passed-through LUN's errors are the target's" };
        if (path.layout.faults.length > 0) return { notCarriedOut: 'the disk has blkdebug faults of its own' };
        if (this.faulted.has(path.id)) return { notCarriedOut: 'the disk has a run-time I/O error armed already' };
        await this.session.failNextRequest(path, event.io, event.sector);
        this.faulted.add(path.id);
        return { completion: describeHostEvent(event) };
    }
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

  /**
   * The sense each device holds taken (see `takeSense`), again while a device still reports something: a
   * device plugged in holds a power-on attention and its bus REPORTED LUNS DATA HAS CHANGED, one after the
   * other, and a REQUEST SENSE takes one at a time (QEMU may even answer it CHECK CONDITION with the attention).
   */
  private async takeSenses(paths: readonly GuestPath[]): Promise<void> {
    let pending = paths;
    for (let attempt = 0; attempt <= restoreTries && pending.length > 0; attempt++) {
      const results = await this.session.execMany(pending.map((path) => ({ path, command: takeSense })));
      const reported = (result: ExecResult): boolean =>
        result.errno === 0 && (result.status !== ScsiStatus.good || (decodeSense(result.dataIn)?.key ?? 0) !== 0);
      pending = pending.filter((_, index) => reported(results[index]));
    }
  }

  /** A failure of QEMU, of the guest or of the target is a finding; any other error is the harness's own and propagates. */
  private async failureOf(error: unknown, step: number): Promise<RunFailure> {
    if (error instanceof TargetExited) return { kind: 'target', step, detail: (await this.session.targetFailure()) ?? 'the target exited' };
    if (error instanceof QemuExited) return { kind: 'crash', step, detail: error.message };
    if (error instanceof AgentTimeout) return { kind: 'hang', step, detail: hangDetail(error, await this.session.vmStatus()) };
    throw error;
  }

  private async commands(paths: readonly GuestPath[], steps: readonly BatchStep[], outcomes: Map<PathId, StepOutcome[]>) {
    const lockstep: BatchEntry[] = steps.flatMap((step) => paths.filter((path) => step.kind === 'command' || resetAimedAt(step, path)).map((path) => ({ step, path })));
    const mark = this.session.trace.mark();
    const batch = this.session.execMany(
      lockstep.map(({ step, path }) =>
        step.kind === 'reset'
          ? { path, reset: step.reset, queued: step.queued }
          : { path, command: step.command, timeoutMs: step.timeoutMs, digestOnly: step.command.length > fullDataUpTo, queued: step.queued },
      ),
    );
    // The guest's commands to a dead target would wait out their timeouts: the target's exit ends the batch at once.
    const results = await phaseClock.time('command batches (round trip)', () =>
      Promise.race([batch, this.session.targetExit.then(() => Promise.reject(new TargetExited()))]),
    );
    // A reset sends no command QEMU's trace could name: the windows are cut among the commands alone.
    const commandIndexes = lockstep.flatMap(({ step }, index) => (step.kind === 'command' ? [index] : []));
    const sent = commandIndexes.map((index) => {
      const { step, path } = lockstep[index] as { step: CommandStep; path: GuestPath };
      return {
        target: path.layout.target,
        opcode: step.command.cdb[0],
        reached: results[index].errno === 0,
        answeredByGuest: path.layout.hba.trace.answeredByGuest?.(step.command.cdb[0]),
        queued: step.queued,
      };
    });
    const traced = phaseClock.timeSync('trace windows', () => commandBranches(this.session.trace.eventsSince(mark), this.session.traceCatalog, sent));
    const branches = new Map(commandIndexes.map((index, order) => [index, traced[order]]));
    const ranks = completionRanks(lockstep, results);
    const logs = kernelLogs(lockstep, results);
    // The lockstep holds the steps in order, each on its paths in order: the next entry is this step's on this path, if it has one.
    let index = 0;
    for (const step of steps) {
      for (const path of paths) {
        const here = lockstep[index]?.step === step && lockstep[index].path === path;
        if (step.kind === 'command') outcomes.get(path.id)?.push(commandOutcome(step, results[index], logs[index], branches.get(index) ?? [], ranks[index]));
        else outcomes.get(path.id)?.push(resetOutcome(here ? { errno: results[index].errno, log: logs[index] } : undefined));
        if (here) index++;
      }
    }
  }

  /**
   * The paths' resets at once where they are on different SCSI hosts (a bus or host reset holds its ioctl for
   * the guest kernel's 10 s settle), one after the other where they share one; each round's kernel messages
   * go with every path of the round, so that none of them lands on the next command of one path only.
   */
  private async reset(paths: readonly GuestPath[], step: ResetStep, outcomes: Map<PathId, StepOutcome[]>) {
    const done = new Map<PathId, { errno: number; log: KernelLogRecord[] }>();
    for (const round of oneAPerHost(paths.filter((path) => resetAimedAt(step, path)))) {
      const errnos = await this.session.agent.reset(round.map((path) => path.device.sgNode), step.reset);
      const kernelLog = await this.session.agent.kernelLog();
      round.forEach((path, index) => done.set(path.id, { errno: errnos[index], log: kernelLog }));
    }
    for (const path of paths) {
      outcomes.get(path.id)?.push(resetOutcome(done.get(path.id)));
    }
  }
}

