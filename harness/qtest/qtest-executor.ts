import { Case, CommandStep } from '../case/case-types';
import { CaseRun, PathRun, RunFailure } from '../execute/case-run';
import { mayLeaveDeviceState, restoreTries, restoringCommands, takeSense } from '../execute/device-state-restore';
import { diskAfter, initialDigestOf, markUntouched, restoreDisk } from '../execute/disk-state';
import { Executor } from '../execute/executor';
import { CommandOutcome, StepOutcome } from '../execute/step-outcome';
import { TgtdServer } from '../iscsi/tgtd';
import { CleanupStack } from '../process/cleanup-stack';
import { sessionWorkDir } from '../process/work-dir';
import { QemuBinary } from '../qemu/binary';
import { AttachedPath } from '../qemu/cmdline';
import { layoutTopology, PathId, Topology } from '../qemu/topology';
import type { HbaModel } from '../qemu/hba/registry';
import { ScsiCommand } from '../scsi/command';
import { testUnitReady } from '../scsi/opcodes';
import { ScsiStatus } from '../scsi/status';
import { initialDiskContent } from '../session/disk-content';
import { backingFileOf, makePathDisks } from '../session/path-disks';
import { fnv1a64 } from '../guest/wire/fnv1a64';
import { frameDelivery, frameDetails } from './frame-delivery';
import { FrameAnswer, FrameDriver } from './frame-driver';
import { frameDriverFor } from './frame-drivers';
import { QtestMachine, qtestMachineArgs } from './qtest-machine';
import { QtestReproducer } from './reproducer';
import { UserError } from '../errors/user-error';
import { QemuTrace } from '../qemu/trace/qemu-trace';
import { TraceCatalog, traceCatalog } from '../qemu/trace/trace-catalog';
import { commandBranches } from '../qemu/trace/command-branches';
import { CodeBranch } from '../qemu/trace/code-branch';
import { QemuExited } from '../qemu/machine-exit';

/** How long a command may take before its missing completion counts as a hang: QEMU under qtest completes in milliseconds. */
const commandTimeoutMs = 5_000;

/** A power-on or reset unit attention stands before the first command of a fresh QEMU (and tgtd's, for a new login). */
const attentionTries = 4;

/** A running QEMU under qtest, its trace, and the driver of each path's HBA. */
interface LiveMachine {
  readonly machine: QtestMachine;
  readonly trace: QemuTrace;
  driverOf(path: FramePath): FrameDriver;
}

/** What the frame executor knows of one path: where its disk is and which driver reaches it. */
interface FramePath {
  readonly attached: AttachedPath;
  /** The host file behind the disk; none for a disk of zeroes. */
  readonly backingFile: string | undefined;
}

const unitReady: ScsiCommand = { cdb: testUnitReady(), direction: 'none', length: 0 };

/** Where a path's device sits on its HBA, and how long a command to it may take. */
const addressOf = (path: FramePath): { target: number; lun: number; timeoutMs: number } => ({ target: path.attached.layout.target, lun: 0, timeoutMs: commandTimeoutMs });

const commandOutcome = (command: ScsiCommand, answer: FrameAnswer, durationNs: bigint, branches: readonly CodeBranch[]): CommandOutcome => {
  const moved = command.direction === 'from-device' ? answer.dataIn : undefined;
  return {
    kind: 'command',
    command,
    delivery: frameDelivery(answer),
    status: answer.status,
    sense: answer.sense,
    residual: answer.residual,
    dataIn: moved,
    dataDigest: moved ? fnv1a64(moved) : 0n,
    log: [],
    durationNs,
    branches,
    transport: frameDetails(answer),
  };
};

/** A command that did not come back, or came back having written outside its buffers: the run ends there. */
const failureOf = (path: PathId, answer: FrameAnswer, step: number): RunFailure | undefined => {
  if (!answer.completed) return { kind: 'hang', step, detail: `${path}: no completion within ${commandTimeoutMs / 1000} s`, paths: [path] };
  if (answer.strayWrites.length > 0) {
    return { kind: 'crash', step, detail: `QEMU wrote outside the buffers it was given: ${answer.strayWrites.join('; ')}`, paths: [path] };
  }
  return undefined;
};

/**
 * Runs cases one layer below a guest: QEMU under `-accel qtest`, each HBA brought up and spoken to by its
 * frame driver (harness/qtest/<hba>.ts), as libqos does. One QEMU serves case after case, as one guest does,
 * each case on disks put back to its initial content and devices put back as a fresh QEMU has them; a case
 * that crashed, hung or wrote outside its buffers ends its QEMU, and the next starts a fresh one. The steps go
 * to every path in lockstep, as in a guest.
 */
export class QtestExecutor implements Executor {
  private readonly knownDigests = new Map<string, string>();
  /** Paths whose device a case may have left with another block length or capacity than it started with. */
  private readonly stateUnsure = new Set<PathId>();
  /** Paths whose device may hold the sense of a command that failed in the last case. */
  private readonly sensePending = new Set<PathId>();
  private live: LiveMachine | undefined;
  /** Every protocol line the latest QEMU was sent, where the executor keeps them (disks of zeroes). */
  private transcript: readonly string[] | undefined;

  private constructor(
    private readonly qemu: QemuBinary,
    private readonly topology: Topology,
    private readonly framePaths: readonly FramePath[],
    private readonly tgtd: TgtdServer | undefined,
    private readonly cleanup: CleanupStack,
    private readonly workDir: string,
    private readonly traceCatalog: TraceCatalog,
    private readonly recordTranscript: boolean,
  ) {
    const initial = initialDigestOf(initialDiskContent(topology.diskBytes));
    for (const path of framePaths) if (path.backingFile) this.knownDigests.set(path.backingFile, initial);
  }

  /** Disks and tgtd for the topology's paths; refuses, naming them, HBAs no frame driver speaks. */
  /**
   * `disks: 'zeroes'` gives every path a disk of QEMU's null-co driver (no file, no tgtd, scsi-hd only) and keeps
   * each QEMU's protocol transcript: what a case exported as a standalone qtest reproducer needs.
   */
  static async open(qemu: QemuBinary, topology: Topology, disks: 'files' | 'zeroes' = 'files'): Promise<QtestExecutor> {
    const layouts = layoutTopology(topology);
    for (const layout of layouts) frameDriverFor(layout.hba.model as HbaModel);
    const cleanup = new CleanupStack();
    try {
      const workDir = await sessionWorkDir('hbadiff-qtest-', cleanup);
      if (disks === 'zeroes') {
        const passedThrough = layouts.filter((layout) => layout.disk !== 'scsi-hd').map((layout) => layout.path);
        if (passedThrough.length > 0) {
          throw new UserError(`${passedThrough.join(', ')}: a passthrough LUN needs tgtd behind QEMU, which a standalone reproducer cannot carry; name scsi-hd paths`);
        }
      }
      const { attached, tgtd } =
        disks === 'zeroes'
          ? { attached: layouts.map((layout) => ({ layout, backing: { kind: 'zeroes', bytes: topology.diskBytes } as const })), tgtd: undefined }
          : await makePathDisks(layouts, topology.diskBytes, workDir, cleanup);
      const paths = attached.map((each) => ({ attached: each, backingFile: disks === 'files' ? backingFileOf(workDir, each.layout) : undefined }));
      const catalog = traceCatalog([...new Set(layouts.map((layout) => layout.hba.trace))], qemu.traceEvents);
      return new QtestExecutor(qemu, topology, paths, tgtd, cleanup, workDir, catalog, disks === 'zeroes');
    } catch (error) {
      await cleanup.run().catch(() => undefined);
      throw error;
    }
  }

  get qemuVersion(): string {
    return this.qemu.version;
  }

  get paths(): PathId[] {
    return this.framePaths.map((path) => path.attached.layout.path);
  }

  async close(): Promise<void> {
    await this.stopMachine();
    await this.cleanup.run();
  }

  private pathsOf(testCase: Case): FramePath[] {
    return (testCase.paths ?? this.paths).map((id) => {
      const found = this.framePaths.find((path) => path.attached.layout.path === id);
      if (!found) throw new Error(`the case names path ${id}, which this topology does not have`);
      return found;
    });
  }

  private initialContentOf(testCase: Case): Buffer {
    const bytes = testCase.disk?.bytes ?? this.topology.diskBytes;
    if (bytes !== this.topology.diskBytes) throw new Error(`the case wants ${bytes}-byte disks; this topology's are ${this.topology.diskBytes} bytes`);
    return testCase.disk?.content === 'zero' ? Buffer.alloc(bytes) : initialDiskContent(bytes);
  }

  async run(testCase: Case): Promise<CaseRun> {
    const paths = this.pathsOf(testCase);
    const initial = this.initialContentOf(testCase);
    const initialDigest = initialDigestOf(initial);
    for (const { backingFile } of paths) {
      if (!backingFile || this.knownDigests.get(backingFile) === initialDigest) continue;
      await restoreDisk(backingFile, initial);
      await markUntouched(backingFile);
      this.knownDigests.set(backingFile, initialDigest);
    }
    const outcomes = new Map<PathId, StepOutcome[]>(paths.map((path) => [path.attached.layout.path, []]));
    let failure: RunFailure | undefined;
    let inFlight = 0;
    try {
      const live = await this.liveMachine();
      await this.restoreDevices(paths, live.driverOf);
      if (mayLeaveDeviceState(testCase)) for (const path of paths) this.stateUnsure.add(path.attached.layout.path);
      for (const [index, step] of testCase.steps.entries()) {
        inFlight = index;
        if (step.kind === 'command') failure = await this.command(paths, step, index, live, outcomes);
        else this.notCarriedOut(paths, step.kind, outcomes);
        if (failure) break;
      }
    } catch (error) {
      if (!(error instanceof QemuExited)) throw error;
      failure = { kind: 'crash', step: inFlight, detail: error.message };
    }
    // A QEMU that crashed, hung a command or wrote outside its buffers is not one the next case can trust.
    if (failure) await this.stopMachine();
    const target = await this.tgtd?.failure();
    if (target) failure = { kind: 'target', step: inFlight, detail: target, paths: paths.filter((path) => path.attached.layout.disk === 'scsi-block').map((path) => path.attached.layout.path) };
    for (const path of paths) {
      const id = path.attached.layout.path;
      if (outcomes.get(id)?.some((outcome) => outcome.kind === 'command' && outcome.status === ScsiStatus.checkCondition)) this.sensePending.add(id);
    }
    const runs: PathRun[] = [];
    for (const path of paths) {
      const disk = path.backingFile ? await diskAfter(path.backingFile, initialDigest) : undefined;
      if (path.backingFile && disk) this.knownDigests.set(path.backingFile, disk.digest);
      runs.push({ path: path.attached.layout.path, outcomes: outcomes.get(path.attached.layout.path) ?? [], disk });
    }
    return { case: testCase, initialContent: initial, runs, failure };
  }

  /** Whether the target behind the passthrough paths failed: then only fresh disks and a fresh tgtd will do. */
  async targetFailed(): Promise<boolean> {
    return (await this.tgtd?.failure()) !== undefined;
  }

  /**
   * The QEMU the last case left, or a fresh one with every HBA brought up and every device's power-on unit
   * attention taken (tgtd's too, for a new login): what a case starts from either way.
   */
  private async liveMachine(): Promise<LiveMachine> {
    if (this.live) return this.live;
    // QEMU's trace names the error branches each command took, as it does for a guest: causes are named alike at both levels.
    const trace = QemuTrace.in(this.workDir, this.traceCatalog.events);
    const machine = await QtestMachine.start({
      qemu: this.qemu.path,
      paths: this.framePaths.map((path) => path.attached),
      extraArgs: trace.qemuArgs,
      recordTranscript: this.recordTranscript,
    });
    this.transcript = machine.qtest.transcript;
    try {
      const drivers = await machine.drivers(frameDriverFor);
      const live: LiveMachine = { machine, trace, driverOf: (path) => drivers.get(path.attached.layout.hbaId) as FrameDriver };
      for (const path of this.framePaths) {
        for (let attempt = 0; attempt < attentionTries; attempt++) {
          const answer = await live.driverOf(path).send({ ...addressOf(path), cdb: unitReady.cdb, dataInLength: 0 });
          if (answer.completed && answer.status === ScsiStatus.good) break;
        }
      }
      this.live = live;
      return live;
    } catch (error) {
      await machine.stop();
      throw error;
    }
  }

  /**
   * The latest QEMU's whole session as a qtest reproducer, from its start to where the last case ended (or
   * crashed it): QEMU's arguments without the trace, and every line it was sent.
   */
  reproducer(name: string, provenance: string): QtestReproducer {
    if (!this.transcript) throw new Error('no transcript: open the executor with disks of zeroes, and run a case first');
    return { name, qemuArgs: qtestMachineArgs(this.framePaths.map((path) => path.attached)), lines: [...this.transcript], provenance };
  }

  private async stopMachine(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    await live?.machine.stop();
  }

  /**
   * Each case starts from the devices a fresh QEMU has, as in a guest (harness/execute/device-state-restore.ts):
   * the sense a failed command left is taken, and a block length or capacity a case may have changed is put back.
   */
  private async restoreDevices(paths: readonly FramePath[], driverOf: (path: FramePath) => FrameDriver): Promise<void> {
    for (const path of paths) {
      const id = path.attached.layout.path;
      const driver = driverOf(path);
      if (this.sensePending.delete(id)) await driver.send({ ...addressOf(path), ...frameBuffers(takeSense) });
      if (!this.stateUnsure.has(id)) continue;
      for (let attempt = 0; attempt < restoreTries; attempt++) {
        const answers = [];
        for (const command of restoringCommands) answers.push(await driver.send({ ...addressOf(path), ...frameBuffers(command) }));
        if (answers.every((answer) => answer.completed && answer.deviceAnswered && answer.status === ScsiStatus.good)) {
          this.stateUnsure.delete(id);
          break;
        }
      }
    }
  }

  private async command(
    paths: readonly FramePath[],
    step: CommandStep,
    index: number,
    { driverOf, trace }: LiveMachine,
    outcomes: Map<PathId, StepOutcome[]>,
  ): Promise<RunFailure | undefined> {
    for (const path of paths) {
      const mark = trace.mark();
      const started = process.hrtime.bigint();
      const answer = await driverOf(path).send({ ...addressOf(path), timeoutMs: step.timeoutMs ?? commandTimeoutMs, ...frameBuffers(step.command) });
      const id = path.attached.layout.path;
      const failure = failureOf(id, answer, index);
      if (failure) return failure;
      const durationNs = process.hrtime.bigint() - started;
      const sent = { target: path.attached.layout.target, opcode: step.command.cdb[0], reached: true };
      const [branches] = commandBranches(trace.eventsSince(mark), this.traceCatalog, [sent]);
      outcomes.get(id)?.push(commandOutcome(step.command, answer, durationNs, branches));
    }
    return undefined;
  }

  /**
   * The frame drivers carry no task management yet, and the frame level no host events: such a step reaches no
   * device on any path, which every path reports alike, so the comparison sees no difference where a guest's
   * drivers would have reset or the host would have paused the VM or resized its disks.
   */
  private notCarriedOut(paths: readonly FramePath[], kind: 'reset' | 'host', outcomes: Map<PathId, StepOutcome[]>): void {
    for (const path of paths) {
      outcomes.get(path.attached.layout.path)?.push({
        kind,
        delivery: { answered: false, problem: `no ${kind === 'reset' ? 'reset' : 'host event'} at frame level`, completion: 'not carried out' },
        skipped: false,
        log: [],
      });
    }
  }

}

/** A SCSI command's buffers as a frame carries them: its data-out, or a host buffer of its length for data-in. */
const frameBuffers = (command: ScsiCommand): { cdb: Buffer; dataOut?: Buffer; dataInLength: number } => ({
  cdb: command.cdb,
  ...(command.direction === 'to-device' && command.dataOut ? { dataOut: command.dataOut } : {}),
  dataInLength: command.direction === 'from-device' ? command.length : 0,
});
