import { join } from 'node:path';
import { dir } from 'tmp-promise';
import { EnvironmentFault } from '../errors/environment-fault';
import { AgentClient } from '../guest/agent-client';
import { findGuestImage, GuestImage } from '../guest/image';
import { EXEC_REPLY_HEADER_BYTES, ExecCommand, ExecResult, execResultMaxBytes, execReset, GuestDevice, LoopResult } from '../guest/messages';
import { ResetKind } from '../scsi/reset-kind';
import { MAX_PAYLOAD_LENGTH } from '../guest/wire/frame';
import { TgtdServer } from '../iscsi/tgtd';
import { CleanupStack } from '../process/cleanup-stack';
import { sessionWorkDir } from '../process/work-dir';
import { locateQemu, probeQemu, QemuBinary, requireDevices, requireIscsiDriver } from '../qemu/binary';
import { Accelerator, diskDeviceId, diskDeviceOptions, fileNodeOf } from '../qemu/cmdline';
import { QemuMachine, shellQuoted } from '../qemu/machine';
import { QmpClient } from '../qemu/qmp';
import { cdb } from '../scsi/cdb';
import { defaultTopology, DiskKind, layoutTopology, PathId, PathLayout, Topology } from '../qemu/topology';
import { ScsiCommand } from '../scsi/command';
import { AcceleratorChoice, chooseAccelerator, parseAcceleratorChoice } from './accelerator';
import { backingFileOf, makePathDisks } from './path-disks';
import { guestMachineSpec } from './guest-machine-spec';
import { delay } from '../process/delay';
import { QemuTrace } from '../qemu/trace/qemu-trace';
import { TraceCatalog, traceCatalog } from '../qemu/trace/trace-catalog';
import { settlesWithin } from '../process/within';

/** A hold reads at most this much of its disk to fill the throttle: the read's buffer is QEMU's memory. */
const holdReadMaxBytes = 16 * 1024 * 1024;

/** QMP block_set_io_throttle's six required limits, with only the total bytes per second set (0: none). */
const throttleLimits = (bytesPerSecond: number) => ({ bps: bytesPerSecond, bps_rd: 0, bps_wr: 0, iops: 0, iops_rd: 0, iops_wr: 0 });

export interface SessionOptions {
  readonly topology?: Topology;
  /** `--qemu`; else QTEST_QEMU_BINARY, else PATH. */
  readonly qemu?: string;
  /** Default: HBADIFF_ACCEL, else `auto`. */
  readonly accelerator?: AcceleratorChoice;
  readonly bootTimeoutMs?: number;
  /**
   * How long one agent request (one batch of commands) may go unanswered before the guest counts as hung;
   * each command's SG_IO timeout in the guest is half of it, at most 10 s, so the guest's own error handling
   * comes first.
   */
  readonly requestTimeoutMs?: number;
  readonly memoryMiB?: number;
  readonly extraQemuArgs?: readonly string[];
  /** Paths whose disk the guest never shows are left out and listed in `missing`, instead of failing the start. */
  readonly leaveOutMissing?: boolean;
}

/** A path of the topology the guest shows no disk for, and what the guest has instead. */
export interface MissingPath {
  readonly path: PathId;
  readonly detail: string;
}

/**
 * A booted guest's state saved to a file (a QEMU migration stream), with what the guest had found on its
 * buses: a session started from it skips the boot, the device scan and the power-on attention.
 */
export interface BootedState {
  readonly file: string;
  readonly qemu: QemuBinary;
  readonly accelerator: Accelerator;
  readonly image: GuestImage;
  readonly topology: Topology;
  /** The guest's device for each path, in the topology's order. */
  readonly devices: readonly GuestDevice[];
}

/** One command for one path, as a batch of several paths carries it. */
export interface PathCommand extends ExecOptions {
  readonly path: GuestPath;
  readonly command: ScsiCommand;
  readonly timeoutMs?: number;
}

/** A reset of one path's device as an entry of a batch, in its place among the commands: queued, while they are in flight. */
export interface PathReset {
  readonly path: GuestPath;
  readonly reset: ResetKind;
  readonly queued?: boolean;
}

export interface ExecOptions {
  readonly digestOnly?: boolean;
  /** In flight together with the batch's consecutive queued commands. */
  readonly queued?: boolean;
}

/** One path as the guest sees it: the topology's disk and the sg node the guest gave it. */
export interface GuestPath {
  readonly id: PathId;
  readonly layout: PathLayout;
  readonly device: GuestDevice;
  /** The host file behind the disk (served by tgtd for scsi-block): what the disk really holds. */
  readonly backingFile: string;
}


/** Sized for TCG on a busy host, where a batch of a few dozen commands with data-out takes seconds. */
export const defaultRequestTimeoutMs = 60_000;

/**
 * A command's SG_IO timeout in the guest, at most: under TCG every command a device answers takes under 0.2 s,
 * and one it never answers (pvscsi's failed data-out, uas) costs the timeout and the error handling after it.
 * A batch of several such outlives the request's timeout through the agent's progress reports.
 */
const maxCommandTimeoutMs = 10_000;
const defaults = { bootTimeoutMs: 90_000, requestTimeoutMs: defaultRequestTimeoutMs };
/** Once no new device has appeared for this long after the agent's hello, the guest's buses have settled. */
const enumerationSettleMs = 10_000;
const vmStatusTimeoutMs = 2_000;
/** How long the VM stands stopped on an I/O error before the session continues it. */
const ioErrorStopMs = 50;
/** The node name of a run-time fault over a disk's file. */
const faultNode = (diskId: string): string => `${diskId}-fault`;
/** How long a hot-plug or unplug may take to show in the guest: virtio-scsi's rescan under TCG takes a fraction of it. */
const hotplugSettleMs = 3_000;
/** How long a block job (creating an overlay, committing it back) may take: a few MiB of raw image under TCG. */
const blockJobMs = 30_000;
/** The node names of an external snapshot's overlay (a qcow2 image on a file of the session's). */
const overlayNode = (diskId: string): string => `${diskId}-overlay`;
const overlayFileNode = (diskId: string): string => `${diskId}-overlay-file`;
/** Long enough for every vCPU and the disks to have stopped (QMP's stop returns once they have) and a timer tick to fall in the pause. */
const pauseMs = 100;
/** 256 MiB of guest RAM, mostly never touched, goes out in about half a second here. */
const saveStateTimeoutMs = 60_000;
/** The byte SG_IO's data-in buffer starts as, so bytes the device never wrote stand out. */
const dataInFill = 0xa5;

const guestDeviceFor = (layout: PathLayout, layouts: readonly PathLayout[], devices: readonly GuestDevice[]): GuestDevice | undefined => {
  const disks = devices.filter((device) => device.driver === layout.hba.guestDriver && device.scsiType === 0);
  if (!layout.hba.targetsInDiscoveryOrder) return disks.find((device) => device.target === layout.target);
  // The guest numbers these as it finds them, in no order hbadiff sets (USB enumerates as it pleases): the
  // k-th path of a kind of disk behind this driver is its k-th disk of that kind, once every one is there.
  const sameKind = (other: PathLayout) => other.hba.guestDriver === layout.hba.guestDriver && other.disk === layout.disk;
  const siblings = layouts.filter(sameKind);
  const ordered = disks.filter((device) => diskKindOf(device, layout) === layout.disk).sort((a, b) => a.host - b.host || a.target - b.target || a.lun - b.lun);
  return disks.length === layouts.filter((other) => other.hba.guestDriver === layout.hba.guestDriver).length && ordered.length === siblings.length
    ? ordered[siblings.indexOf(layout)]
    : undefined;
};

/** A device the guest shows at the path's address, behind the path's driver. */
const isDeviceOf = (device: GuestDevice, path: GuestPath): boolean =>
  device.driver === path.device.driver && device.host === path.device.host && device.channel === path.device.channel && device.target === path.device.target && device.lun === path.device.lun;
const addressText = (device: GuestDevice): string => `${device.host}:${device.channel}:${device.target}:${device.lun}`;

/** QEMU's emulated disk says so in its INQUIRY vendor (unless the topology gives it another); a passed-through LUN does not. */
const diskKindOf = (device: GuestDevice, layout: PathLayout): DiskKind =>
  device.vendor.trim() === (layout.disk === 'scsi-hd' ? (layout.properties.vendor ?? 'QEMU') : 'QEMU') ? 'scsi-hd' : 'scsi-block';

/**
 * The commands cut, in order, into as few EXEC requests as keep each reply within the maximum payload: a
 * conformance test's case of a thousand commands on four paths would otherwise be refused whole. A run of
 * queued commands is cut only where it alone passes the maximum: its commands are in flight together only
 * within one request.
 */
const repliesThatFit = (commands: readonly ExecCommand[]): ExecCommand[][] => {
  const requests: ExecCommand[][] = [[]];
  let bytes = EXEC_REPLY_HEADER_BYTES;
  for (const [index, command] of commands.entries()) {
    const size = execResultMaxBytes(command);
    if (command.queued && commands[index - 1]?.queued !== true) {
      let runBytes = 0;
      for (let next = index; next < commands.length && commands[next].queued; next++) runBytes += execResultMaxBytes(commands[next]);
      if (bytes + runBytes > MAX_PAYLOAD_LENGTH && runBytes + EXEC_REPLY_HEADER_BYTES <= MAX_PAYLOAD_LENGTH && requests[requests.length - 1].length > 0) {
        requests.push([]);
        bytes = EXEC_REPLY_HEADER_BYTES;
      }
    }
    if (bytes + size > MAX_PAYLOAD_LENGTH && requests[requests.length - 1].length > 0) {
      requests.push([]);
      bytes = EXEC_REPLY_HEADER_BYTES;
    }
    requests[requests.length - 1].push(command);
    bytes += size;
  }
  return requests;
};

/**
 * A booted guest with every path of a topology attached: disks made with identical content, a private
 * tgtd for the passthrough LUNs, QEMU under a pty, and the guest's sg node for each path.
 */
export class GuestSession {
  private constructor(
    readonly qemu: QemuBinary,
    readonly accelerator: Accelerator,
    readonly image: GuestImage,
    readonly machine: QemuMachine,
    /** Each path's sg node, which a hot-plug may change (the guest numbers the new device as it pleases). */
    private currentPaths: GuestPath[],
    /** The topology's paths the guest never showed a disk for, left out (`leaveOutMissing`). */
    readonly missing: readonly MissingPath[],
    /** Spawn to the agent's hello, or for a resumed guest to its first answer. */
    readonly bootMs: number,
    /** How the guest came to be: a cold boot, or a saved booted guest resumed. */
    readonly startedBy: 'boot' | 'resume',
    /** The private 0700 directory holding the disks and the QMP socket. */
    readonly workDir: string,
    readonly tgtd: TgtdServer | undefined,
    readonly topology: Topology,
    private readonly cleanup: CleanupStack,
    /** SG_IO's timeout for a command whose step sets none. */
    private readonly commandTimeoutMs: number,
    /** QEMU's trace of where each command began and which of its error branches it took. */
    readonly trace: QemuTrace,
    readonly traceCatalog: TraceCatalog,
  ) {}

  private continuesAfterIoErrors = false;
  private continuedAfterIoErrors = 0;

  static async start(options: SessionOptions = {}): Promise<GuestSession> {
    const topology = options.topology ?? defaultTopology;
    const layouts = layoutTopology(topology);
    const qemu = await probeQemu(locateQemu(options.qemu));
    requireDevices(qemu, layouts.flatMap((layout) => [layout.hba.qemuDevice, layout.disk]));
    if (layouts.some((layout) => layout.disk === 'scsi-block')) await requireIscsiDriver(qemu);
    const image = findGuestImage();
    const choice =
      options.accelerator ?? parseAcceleratorChoice(process.env.HBADIFF_ACCEL ?? 'auto', 'HBADIFF_ACCEL');
    const accelerator = await chooseAccelerator(choice, `${qemu.path} ${qemu.version} image=${image.key}`, () =>
      GuestSession.bootsWith(qemu, image, 'kvm'),
    );
    return GuestSession.launch(options, { qemu, image, accelerator, topology });
  }

  /**
   * The guest of `state`, on fresh disks and a fresh tgtd, as it was when saved: booted, scanned, its
   * power-on attentions taken. Everything else (the options' QEMU, image, topology) comes from the state.
   */
  static async resume(state: BootedState, options: SessionOptions = {}): Promise<GuestSession> {
    return GuestSession.launch(options, state);
  }

  private static async launch(
    options: SessionOptions,
    from: { readonly qemu: QemuBinary; readonly image: GuestImage; readonly accelerator: Accelerator; readonly topology: Topology } | BootedState,
  ): Promise<GuestSession> {
    const { qemu, image, accelerator, topology } = from;
    const layouts = layoutTopology(topology);
    const saved = 'file' in from ? from : undefined;

    const cleanup = new CleanupStack();
    try {
      const workDir = await sessionWorkDir('hbadiff-', cleanup);
      const { attached, tgtd } = await makePathDisks(layouts, topology.diskBytes, workDir, cleanup);
      const catalog = traceCatalog([...new Set(layouts.map((layout) => layout.hba.trace))], qemu.traceEvents);
      const trace = QemuTrace.in(workDir, catalog.events);
      const requestTimeoutMs = options.requestTimeoutMs ?? defaults.requestTimeoutMs;
      const machine = QemuMachine.launch(
        guestMachineSpec({
          qemu,
          image,
          accelerator,
          workDir,
          paths: attached,
          memoryMiB: options.memoryMiB,
          extraQemuArgs: [...trace.qemuArgs, ...(options.extraQemuArgs ?? []), ...(saved ? ['-incoming', `exec:cat ${shellQuoted(saved.file)}`] : [])],
        }),
        requestTimeoutMs,
      );
      cleanup.push(async () => {
        await machine.shutdown();
      });
      const bootTimeoutMs = options.bootTimeoutMs ?? defaults.bootTimeoutMs;
      if (saved) await machine.waitResumed(bootTimeoutMs);
      else await machine.waitReady(bootTimeoutMs);
      const bootMs = Date.now() - machine.spawnedAt;
      const { found, missing } = saved
        ? { found: layouts.map((layout, index) => ({ layout, device: saved.devices[index] })), missing: [] }
        : await GuestSession.findDevices(machine.agent, layouts, bootTimeoutMs, options.leaveOutMissing === true);
      const paths = found.map(({ layout, device }) => ({ id: layout.path, layout, device, backingFile: backingFileOf(workDir, layout) }));
      const session = new GuestSession(qemu, accelerator, image, machine, paths, missing, bootMs, saved ? 'resume' : 'boot', workDir, tgtd, topology, cleanup, Math.min(requestTimeoutMs / 2, maxCommandTimeoutMs), trace, catalog);
      if (saved) await session.settleResumed();
      else await session.takePowerOnAttention();
      return session;
    } catch (error) {
      await cleanup.run().catch(() => undefined);
      throw error;
    }
  }

  /** A boot with no disks at all, to learn whether an accelerator works on this host. */
  private static async bootsWith(qemu: QemuBinary, image: GuestImage, accelerator: Accelerator): Promise<boolean> {
    const workDir = await dir({ prefix: 'hbadiff-probe-', mode: 0o700, unsafeCleanup: true });
    const machine = QemuMachine.launch(guestMachineSpec({ qemu, image, accelerator, workDir: workDir.path }), 10_000);
    const booted = await machine.waitReady(20_000).then(
      () => true,
      () => false,
    );
    await machine.shutdown();
    await workDir.cleanup();
    return booted;
  }

  /** The guest's drivers scan their buses on their own time; poll until every path's disk is there. */
  /**
   * The guest's drivers scan their buses on their own time; poll until every path's disk is there, or until
   * nothing new has appeared for `settleMs`: then the missing ones fail the start in one line naming them
   * and what the guest has, or with `leaveOutMissing` are left out and said so.
   */
  private static async findDevices(
    agent: AgentClient,
    layouts: readonly PathLayout[],
    timeoutMs: number,
    leaveOutMissing: boolean,
  ): Promise<{ found: { layout: PathLayout; device: GuestDevice }[]; missing: MissingPath[] }> {
    const deadline = Date.now() + timeoutMs;
    let lastChange = Date.now();
    let shown = -1;
    for (;;) {
      const devices = await agent.list();
      const entries = layouts.map((layout) => ({ layout, device: guestDeviceFor(layout, layouts, devices) }));
      const found = entries.flatMap(({ layout, device }) => (device ? [{ layout, device }] : []));
      if (found.length === layouts.length) return { found, missing: [] };
      if (devices.length !== shown) {
        shown = devices.length;
        lastChange = Date.now();
      }
      if (Date.now() > deadline || Date.now() - lastChange > enumerationSettleMs) {
        const byDriver = new Map<string, number>();
        for (const device of devices) byDriver.set(device.driver, (byDriver.get(device.driver) ?? 0) + 1);
        const seen = [...byDriver].map(([driver, count]) => `${count} behind ${driver}`).join(', ') || 'no SCSI devices';
        // What the guest's driver said of it (a failed probe, say) is the best evidence of why.
        const records = await agent.kernelLog();
        const missing = entries
          .filter((entry) => !entry.device)
          .map(({ layout }) => {
            const said = records.filter((record) => record.text.includes(layout.hba.guestModule)).map((record) => record.text);
            const why = said.length > 0 ? `the guest's ${layout.hba.guestModule} said: ${said.slice(-2).join('; ')}` : `no disk behind the guest's ${layout.hba.guestDriver} (module ${layout.hba.guestModule})`;
            return { path: layout.path, detail: `${why}; the guest has ${seen}` };
          });
        if (!leaveOutMissing) throw new EnvironmentFault(`the guest never showed ${missing.map((each) => each.path).join(', ')}: ${missing[0].detail}`);
        return { found, missing };
      }
      await delay(50);
    }
  }


  get paths(): readonly GuestPath[] {
    return this.currentPaths;
  }

  path(id: PathId | string): GuestPath {
    const found = this.paths.find((path) => path.id === id);
    if (!found) throw new Error(`no path ${id} in this session (it has ${this.paths.map((path) => path.id).join(', ')})`);
    return found;
  }

  get agent(): AgentClient {
    return this.machine.agent;
  }

  /**
   * Runs `commands` in order on one path, in one agent round trip. With `digestOnly` every data-in buffer
   * comes back as its digest alone (ExecResult.dataDigest), which keeps the reply small when only equality matters.
   */
  exec(path: GuestPath, commands: readonly ScsiCommand[], { digestOnly = false }: ExecOptions = {}): Promise<ExecResult[]> {
    return this.execMany(commands.map((command) => ({ path, command, digestOnly })));
  }

  /** Runs commands bound for any paths, in the order given, in one agent round trip. */
  async execMany(entries: readonly (PathCommand | PathReset)[]): Promise<ExecResult[]> {
    const results: ExecResult[] = [];
    for (const request of repliesThatFit(entries.map((entry) => this.wireCommand(entry)))) results.push(...(await this.agent.exec(request)));
    return results;
  }

  /**
   * Runs `command` on one path `iterations` times inside the guest, with no round trip between them: the rate
   * SG_IO alone reaches there. The request may take as long as `iterations` commands' timeouts.
   */
  loop(path: GuestPath, command: ScsiCommand, iterations: number): Promise<LoopResult> {
    return this.agent.loop({ command: this.wireCommand({ path, command }), iterations }, { timeoutMs: this.commandTimeoutMs * 2 * iterations });
  }

  private wireCommand(entry: PathCommand | PathReset): ExecCommand {
    if ('reset' in entry) return execReset(entry.path.device.sgNode, entry.reset, entry.queued ?? false);
    const { path, command, timeoutMs, digestOnly, queued } = entry;
    return {
      device: path.device.sgNode,
      direction: command.direction,
      cdb: command.cdb,
      length: command.length,
      timeoutMs: timeoutMs ?? this.commandTimeoutMs,
      fill: dataInFill,
      digestOnly: digestOnly ?? false,
      queued: queued ?? false,
      dataOut: command.dataOut ?? Buffer.alloc(0),
    };
  }

  /**
   * Every device starts with a power-on UNIT ATTENTION that the guest's scan leaves pending; whichever case
   * met it first would answer differently from the same case later. REQUEST SENSE with a buffer reaches the
   * device through every HBA (megasas fails commands without one) and takes it, so every case, in a
   * campaign, a shrink or a replay, starts from a device with nothing to report.
   */
  private async takePowerOnAttention(): Promise<void> {
    const requestSense = { cdb: cdb([0x03, 0, 0, 0, 18, 0]), direction: 'from-device' as const, length: 18 };
    await this.execMany(this.paths.flatMap((path) => [requestSense, requestSense].map((command) => ({ path, command }))));
    await this.agent.kernelLog();
  }

  /**
   * A resumed guest's first commands through megasas each make megaraid_sas log a burst of "Unknown command
   * completed! [0x0]" (64 and more records: the reply queue as the migration left it), which a booted guest
   * never shows; an INQUIRY on every path takes them, so that no case's commands carry them and every
   * finding replays on a booted guest. INQUIRY leaves the device as it was (SPC-5: no unit attention).
   */
  private async settleResumed(): Promise<void> {
    const inquiry = { cdb: cdb([0x12, 0, 0, 0, 36, 0]), direction: 'from-device' as const, length: 36 };
    await this.execMany(this.paths.map((path) => ({ path, command: inquiry })));
    await this.agent.kernelLog();
  }

  /** Saves this guest's state to `file` and lets it run on; what `resume` starts a fresh session from. */
  async saveState(file: string): Promise<BootedState> {
    await this.machine.saveState(file, saveStateTimeoutMs);
    return { file, qemu: this.qemu, accelerator: this.accelerator, image: this.image, topology: this.topology, devices: this.paths.map((path) => path.device) };
  }

  /** What happened to the target behind the passthrough paths (tgtd), if it died or stopped; undefined while it serves. */
  async targetFailure(): Promise<string | undefined> {
    return this.tgtd?.failure();
  }

  /** Settles when the target behind the passthrough paths exits; never for a session without one. */
  get targetExit(): Promise<void> {
    return this.tgtd?.exit ?? new Promise(() => undefined);
  }

  /**
   * The VM stopped and continued through QMP, as a host's management stops a guest for a moment: QEMU drains
   * every disk first, and the guest's virtual clock stands still while it is stopped.
   */
  async pause(): Promise<void> {
    const qmp = await this.machine.qmp();
    await qmp.execute('stop');
    await delay(pauseMs);
    await qmp.execute('cont');
  }

  /**
   * The disk of `path` given `bytes` through QMP's block_resize, as a host grows or shrinks a guest's disk: QEMU
   * truncates the file and tells the device, which reports CAPACITY DATA HAS CHANGED (and virtio-scsi tells
   * the guest's driver). Only a disk QEMU holds itself: a passed-through LUN is the target's to resize.
   */
  async resize(path: GuestPath, bytes: number): Promise<void> {
    if (path.layout.disk !== 'scsi-hd') throw new Error(`${path.id}: QEMU resizes only the disks it holds itself, not a passed-through LUN`);
    const qmp = await this.machine.qmp();
    await qmp.execute('block_resize', { 'node-name': path.layout.diskId, size: bytes });
  }

  /**
   * The disks of `paths` unplugged through QMP's device_del, as a host takes a LUN away: QEMU removes each at
   * once, and tells the guest only where the HBA has a way to (virtio-scsi's event queue, pvscsi's message
   * ring). The answer per path: whether the guest let go of the device within a hot-plug's time.
   */
  async unplug(paths: readonly GuestPath[]): Promise<Map<PathId, 'gone' | 'still shown'>> {
    const qmp = await this.machine.qmp();
    for (const path of paths) {
      // QEMU lets go of the disk's block node only once the device is gone (DEVICE_DELETED): a plug before that
      // finds the node still taken by the old device.
      const since = qmp.events.length;
      const id = diskDeviceId(path.layout);
      await qmp.execute('device_del', { id });
      const deleted = await qmp.waitForEvent(since, (event, data) => event === 'DEVICE_DELETED' && (data as { device?: string } | undefined)?.device === id, hotplugSettleMs);
      if (!deleted) throw new Error(`${path.id}: QEMU did not finish unplugging ${id} within ${hotplugSettleMs} ms`);
    }
    const shown = async (): Promise<GuestPath[]> => {
      const devices = await this.agent.list();
      return paths.filter((path) => devices.some((device) => isDeviceOf(device, path)));
    };
    // Only a guest its HBA tells lets go, on its own time; the others' guests are asked once.
    const told = paths.filter((path) => path.layout.hba.tellsGuestOfHotplug);
    await this.pollGuest(async () => ((await shown()).some((path) => told.includes(path)) ? undefined : true));
    const stillShown = await shown();
    return new Map(paths.map((path) => [path.id, stillShown.includes(path) ? 'still shown' : 'gone']));
  }

  /**
   * The disk of `path` plugged back (HMP's device_add, with the very options of its `-device`), and the path
   * given the guest's device for it once the guest shows one at the path's address: the guest numbers a new
   * device as it pleases. Where the guest never let go of the old one, that one serves on.
   */
  async plug(path: GuestPath): Promise<void> {
    const qmp = await this.machine.qmp();
    const said = await qmp.execute<string>('human-monitor-command', { 'command-line': `device_add ${diskDeviceOptions(path.layout)}` });
    if (said.trim() !== '') throw new Error(`${path.id}: QEMU refused to plug the disk back: ${said.trim()}`);
    const device = await this.pollGuest(() => this.deviceAt(path));
    // An HBA that told the guest of the unplug but not of the plug: the path has no device left to send to.
    if (!device) throw new Error(`${path.id}: the guest never showed the disk plugged back at ${addressText(path.device)} within ${hotplugSettleMs} ms`);
    this.currentPaths = this.currentPaths.map((each) => (each.id === path.id ? { ...each, device } : each));
  }

  /** The device the guest shows at `path`'s address behind its driver, if any. */
  private async deviceAt(path: GuestPath): Promise<GuestDevice | undefined> {
    return (await this.agent.list()).find((device) => isDeviceOf(device, path));
  }

  /** `look` again and again until it finds something, for a hot-plug's time at most; undefined if it never does. */
  private async pollGuest<T>(look: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + hotplugSettleMs;
    for (;;) {
      const found = await look();
      if (found !== undefined || Date.now() > deadline) return found;
      await delay(50);
    }
  }

  /**
   * The next `io` request of `path`'s disk that covers `sector` fails with EIO on the host, once: a blkdebug
   * node added over the disk's file at run time, and the disk's raw node reopened onto it (QMP's
   * blockdev-reopen). The disk's `werror`/`rerror` decide what the guest sees: an error, or (`stop`) a VM that
   * stops until the host continues it, which this session does at once (`ioErrorStops` counts them).
   */
  async failNextRequest(path: GuestPath, io: 'read' | 'write', sector: number): Promise<void> {
    if (path.layout.disk !== 'scsi-hd' || path.layout.faults.length > 0) throw new Error(`${path.id}: run-time I/O errors need a scsi-hd disk on a plain file`);
    const qmp = await this.qmpContinuingAfterIoErrors();
    const { diskId } = path.layout;
    await qmp.execute('blockdev-add', {
      driver: 'blkdebug',
      'node-name': faultNode(diskId),
      image: fileNodeOf(diskId),
      'inject-error': [{ event: io === 'read' ? 'read_aio' : 'write_aio', iotype: io, errno: 5, sector, once: true }],
    });
    await qmp.execute('blockdev-reopen', { options: [{ driver: 'raw', 'node-name': diskId, file: faultNode(diskId) }] });
  }

  /** `path`'s disk on its plain file again, the fault node gone, whether or not its error fired. */
  async clearFault(path: GuestPath): Promise<void> {
    const qmp = await this.machine.qmp();
    const { diskId } = path.layout;
    await qmp.execute('blockdev-reopen', { options: [{ driver: 'raw', 'node-name': diskId, file: fileNodeOf(diskId) }] });
    await qmp.execute('blockdev-del', { 'node-name': faultNode(diskId) });
  }

  /**
   * An external snapshot of `path`'s disk, as a host's management takes one live: a new qcow2 image becomes
   * the disk's active layer, with the disk's image as its backing file (QMP's blockdev-create, blockdev-add,
   * blockdev-snapshot), so that the guest's writes go to the overlay from then on. The guest must notice nothing.
   */
  async snapshot(path: GuestPath): Promise<void> {
    if (path.layout.disk !== 'scsi-hd') throw new Error(`${path.id}: QEMU snapshots only the disks it holds itself, not a passed-through LUN`);
    const qmp = await this.machine.qmp();
    const { diskId } = path.layout;
    const file = join(this.workDir, `${diskId}-overlay.qcow2`);
    await this.blockdevCreate(`${diskId}-create-file`, { driver: 'file', filename: file, size: 0 });
    await qmp.execute('blockdev-add', { driver: 'file', filename: file, 'node-name': overlayFileNode(diskId) });
    await this.blockdevCreate(`${diskId}-create`, { driver: 'qcow2', file: overlayFileNode(diskId), size: await this.diskBytesNow(path) });
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': overlayNode(diskId), file: overlayFileNode(diskId), backing: null });
    await qmp.execute('blockdev-snapshot', { node: diskId, overlay: overlayNode(diskId) });
  }

  /** The size of `path`'s disk as QEMU has it now, which a resize earlier in the case may have changed. */
  private async diskBytesNow(path: GuestPath): Promise<number> {
    const qmp = await this.machine.qmp();
    const nodes = await qmp.execute<{ 'node-name': string; image: { 'virtual-size': number } }[]>('query-named-block-nodes');
    const bytes = nodes.find((node) => node['node-name'] === path.layout.diskId)?.image['virtual-size'];
    if (bytes === undefined) throw new Error(`${path.id}: QEMU has no block node ${path.layout.diskId}`);
    return bytes;
  }

  /**
   * Every read and write of `path`'s disk held in QEMU for about `ms` from now, as a slow backend holds them:
   * the disk's I/O throttle set to let its whole size through in `ms`, then the whole disk read once through
   * it from the monitor (HMP's qemu-io), which passes at once and leaves the throttle's bucket full, so that
   * every request after it waits until the bucket has drained. QEMU itself ends the wait, even while its main
   * loop waits for a request (a synchronous cancel); `release` takes the throttle away.
   */
  async hold(path: GuestPath, ms: number): Promise<void> {
    if (path.layout.disk !== 'scsi-hd') throw new Error(`${path.id}: QEMU throttles only the disks it holds itself; a passed-through LUN's requests pass it by`);
    const qmp = await this.machine.qmp();
    const id = diskDeviceId(path.layout);
    const bytes = Math.min(await this.diskBytesNow(path), holdReadMaxBytes);
    await qmp.execute('block_set_io_throttle', { id, ...throttleLimits(Math.max(1, Math.floor((bytes * 1000) / ms))) });
    const said = await qmp.execute<string>('human-monitor-command', { 'command-line': `qemu-io -d ${id} "read 0 ${bytes}"` });
    if (/error|fail/i.test(said)) throw new Error(`${path.id}: QEMU's qemu-io could not read the disk to fill its throttle: ${said.trim()}`);
  }

  /** `path`'s disk without an I/O throttle again: whatever it still holds goes through at once (QEMU drains the disk). */
  async release(path: GuestPath): Promise<void> {
    const qmp = await this.machine.qmp();
    await qmp.execute('block_set_io_throttle', { id: diskDeviceId(path.layout), ...throttleLimits(0) });
  }

  /** `path`'s snapshot committed back into the disk's image (an active block-commit, completed), and its overlay gone. */
  async commitSnapshot(path: GuestPath): Promise<void> {
    const qmp = await this.machine.qmp();
    const { diskId } = path.layout;
    const job = `${diskId}-commit`;
    await this.blockJob(job, () => qmp.execute('block-commit', { 'job-id': job, device: overlayNode(diskId) }), 'ready');
    await this.blockJob(job, () => qmp.execute('job-complete', { id: job }), 'null');
    await qmp.execute('blockdev-del', { 'node-name': overlayNode(diskId) });
    await qmp.execute('blockdev-del', { 'node-name': overlayFileNode(diskId) });
  }

  /** QMP's blockdev-create of an image with `options`, waited for and dismissed (QEMU keeps a creation job until then). */
  private async blockdevCreate(job: string, options: Record<string, unknown>): Promise<void> {
    const qmp = await this.machine.qmp();
    await this.blockJob(job, () => qmp.execute('blockdev-create', { 'job-id': job, options }), 'concluded');
    await qmp.execute('job-dismiss', { id: job });
  }

  /** Starts a block job and waits until QEMU says it reached `status`. */
  private async blockJob(id: string, start: () => Promise<unknown>, status: string): Promise<void> {
    const qmp = await this.machine.qmp();
    const since = qmp.events.length;
    await start();
    const reached = await qmp.waitForEvent(since, (event, data) => event === 'JOB_STATUS_CHANGE' && (data as { id?: string; status?: string } | undefined)?.id === id && (data as { status?: string }).status === status, blockJobMs);
    if (!reached) throw new Error(`QEMU's block job ${id} did not reach ${status} within ${blockJobMs} ms`);
  }

  /** Times the VM stopped on a disk's I/O error (`werror`/`rerror` `stop`) and this session continued it. */
  get ioErrorStops(): number {
    return this.continuedAfterIoErrors;
  }

  private async qmpContinuingAfterIoErrors(): Promise<QmpClient> {
    const qmp = await this.machine.qmp();
    if (!this.continuesAfterIoErrors) {
      this.continuesAfterIoErrors = true;
      // As a host's management does once it fixed what failed: QEMU retries the request on `cont`.
      qmp.onEvent((event, data) => {
        if (event !== 'BLOCK_IO_ERROR' || (data as { action?: string } | undefined)?.action !== 'stop') return;
        this.continuedAfterIoErrors++;
        void delay(ioErrorStopMs).then(() => qmp.execute('cont').catch(() => undefined));
      });
    }
    return qmp;
  }

  /** QEMU's own word on the VM (`running`, `paused`, `guest-panicked`, …), or undefined if QMP does not answer. */
  async vmStatus(): Promise<string | undefined> {
    const status = this.machine
      .qmp()
      .then((qmp) => qmp.execute<{ status: string }>('query-status'))
      .then(
        (answer) => answer.status,
        () => undefined,
      );
    return (await settlesWithin(status, vmStatusTimeoutMs)) ? status : undefined;
  }

  async stop(): Promise<void> {
    await this.cleanup.run();
  }
}
