import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { reaper } from '../process/reaper';
import { settlesWithin } from '../process/within';
import { MachineExit, QemuExited } from '../qemu/machine-exit';
import { isSanitizerBuild } from '../qemu/sanitizer-build';
import { sanitizerEnvironment } from '../qemu/sanitizer-environment';

/** A guest-physical address; bigint where it may pass 2^53. */
export type GuestAddress = bigint | number;

export interface QtestLaunchOptions {
  /** The QEMU system emulator; it must have the qtest accelerator (Debian's packaged QEMU does not). */
  readonly qemu: string;
  /** The machine, devices and disks: everything but the qtest options this client adds itself. */
  readonly args: readonly string[];
  /** Keep every line sent, in order, in `transcript`: a run exported as a reproducer replays it. */
  readonly recordTranscript?: boolean;
  /** How long QEMU may take to connect to the qtest socket. */
  readonly connectTimeoutMs?: number;
}

/** QEMU answered a qtest request with FAIL or ERR: the request was understood and refused. */
export class QtestCommandFailed extends Error {
  constructor(
    readonly line: string,
    readonly reply: string,
  ) {
    super(`qtest: QEMU answered \`${line}\` with \`${reply}\``);
    this.name = 'QtestCommandFailed';
  }
}

/**
 * The options that make QEMU a qtest server on `socket`; `-qtest-log none` keeps its own log of the protocol
 * off. `-nodefaults` is the caller's choice: QEMU's own reproducers written without it address devices at the
 * PCI slots the default VGA and network card push them to.
 */
const qtestArgs = (socket: string): string[] => ['-qtest', `unix:${socket}`, '-qtest-log', 'none', '-accel', 'qtest', '-display', 'none', '-no-user-config'];

const stderrLinesKept = 200;
const defaultConnectTimeoutMs = 30_000;
/** How long QEMU gets to quit on SIGTERM before SIGKILL. */
const quitGraceMs = 2_000;

/** Debian deletes QEMU's qtest accelerator module from its packages: say so, not just QEMU's one word. */
const withoutQtestAccel = /invalid accelerator qtest/;

interface Pending {
  readonly line: string;
  readonly resolve: (value: string) => void;
  readonly reject: (error: Error) => void;
}

const ignore = (): void => undefined;

const hex = (value: GuestAddress): string => {
  if (value < 0) throw new RangeError(`qtest: a negative number (${value}) is no address or value`);
  return `0x${value.toString(16)}`;
};

/** node's signal name as the number MachineExit (and QemuExited's message) uses. */
const machineExit = (code: number | null, signal: NodeJS.Signals | null): MachineExit => {
  const number = signal ? osConstants.signals[signal] : undefined;
  return { exitCode: code ?? 128 + (number ?? 0), signal: number };
};

/**
 * One QEMU under `-accel qtest`, spoken to over its qtest line protocol as QEMU's libqtest does: QEMU connects
 * to a socket this client listens on. Requests may be pipelined: each method sends at once and its promise
 * settles with the reply that answers it, in order; lines sent in one tick go in one write. `IRQ raise N`
 * lines QEMU sends between replies are recorded, not taken as replies.
 */
export class QtestClient {
  readonly exited: Promise<MachineExit>;
  /** Every line sent, when the launch asked for it. */
  readonly transcript: string[] | undefined;
  private readonly pending: Pending[] = [];
  private readonly irqLevels = new Map<number, boolean>();
  private readonly stderrLines: string[] = [];
  private stderrPartial = '';
  private received = '';
  private outgoing: string[] = [];
  private exitStatus: MachineExit | undefined;
  /** Why no request can be answered any more: QEMU's exit, close(), or a reply nothing asked for. */
  private gone: Error | undefined;
  private closing = false;
  /** Settles once the latest request has been answered (or refused). */
  private lastSettled: Promise<void> = Promise.resolve();

  private constructor(
    private readonly child: ChildProcess,
    private socket: Socket | undefined,
    recordTranscript: boolean,
  ) {
    this.transcript = recordTranscript ? [] : undefined;
    const forgetProcess = reaper.watchProcess(child.pid as number);
    child.on('error', ignore);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        forgetProcess();
        this.exitStatus = machineExit(code, signal);
        if (this.stderrPartial !== '') this.keepStderr('\n');
        this.abandon(this.closing ? new Error('qtest: the client was closed') : undefined);
        resolve(this.exitStatus);
      }),
    );
  }

  static async launch(options: QtestLaunchOptions): Promise<QtestClient> {
    try {
      accessSync(options.qemu, fsConstants.X_OK);
    } catch {
      throw new UserError(`${options.qemu}: not an executable file, so no QEMU to run under qtest`, cannotTestExitCode);
    }
    const directory = mkdtempSync(join(tmpdir(), 'hbadiff-qtest-'));
    reaper.watchPath(directory);
    const socketPath = join(directory, 'qtest.sock');
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, resolve);
      });
      // A sanitizer's report goes to stderr, which nothing else shares here and whose tail the client keeps.
      const env = (await isSanitizerBuild(options.qemu)) ? sanitizerEnvironment() : process.env;
      const child = spawn(options.qemu, [...qtestArgs(socketPath), ...options.args], { stdio: ['ignore', 'ignore', 'pipe'], env });
      await new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(new UserError(`${options.qemu}: cannot start: ${error.message}`, cannotTestExitCode)));
      });
      const client = new QtestClient(child, undefined, options.recordTranscript ?? false);
      client.socket = await client.accept(server, options.connectTimeoutMs ?? defaultConnectTimeoutMs);
      return client;
    } finally {
      server.close();
      rmSync(directory, { recursive: true, force: true });
      reaper.forgetPath(directory);
    }
  }

  private async accept(server: Server, timeoutMs: number): Promise<Socket> {
    const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
    // QEMU exiting ends the wait too, so that no timer outlives a QEMU that never connects.
    const ended = Promise.race([connected.then(() => 'connected' as const), this.exited.then(() => 'exited' as const)]);
    const outcome = (await settlesWithin(ended, timeoutMs)) ? await ended : 'timeout';
    if (outcome === 'connected') {
      const socket = await connected;
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => this.receive(chunk));
      socket.on('error', () => undefined);
      return socket;
    }
    if (outcome === 'timeout') await this.close();
    const exit = await this.exited;
    if (this.stderrLines.some((line) => withoutQtestAccel.test(line))) {
      throw new UserError(
        `${this.child.spawnfile} has no qtest accelerator (Debian's packages remove it): use a QEMU built from source, e.g. \`npm run qemu-stable -- 7.2.22\``,
        cannotTestExitCode,
      );
    }
    const during = outcome === 'timeout' ? `after not connecting to the qtest socket within ${timeoutMs} ms` : 'before connecting to the qtest socket';
    throw new QemuExited(exit, this.stderrTail(), during);
  }

  get exit(): MachineExit | undefined {
    return this.exitStatus;
  }

  /** QEMU's last lines on stderr (up to 200). */
  stderrTail(): string[] {
    return [...this.stderrLines];
  }

  /** A request that writes `value` at `where` (a port or an address) and answers a bare OK. */
  private store(request: string): (where: GuestAddress, value: bigint | number) => Promise<void> {
    return async (where, value) => {
      await this.command(`${request} ${hex(where)} ${hex(value)}`);
    };
  }

  /** A request that reads at `where` and answers its value (at most 32 bits: readq answers a bigint). */
  private load(request: string): (where: GuestAddress) => Promise<number> {
    return async (where) => Number(await this.command(`${request} ${hex(where)}`));
  }

  /** Sends one raw protocol line; resolves with the reply's value (what follows `OK `, '' for a bare `OK`). */
  command(line: string): Promise<string> {
    if (/[\r\n]/.test(line)) throw new Error(`qtest: a request is one line; got ${JSON.stringify(line)}`);
    if (this.gone) return Promise.reject(this.gone);
    this.transcript?.push(line);
    if (this.outgoing.length === 0) process.nextTick(() => this.flush());
    this.outgoing.push(line);
    const reply = new Promise<string>((resolve, reject) => this.pending.push({ line, resolve, reject }));
    this.lastSettled = reply.then(ignore, ignore);
    return reply;
  }

  /** Port I/O (`outb 0xcf8 0x80000000`); the `in*` promises resolve with the value read. */
  readonly outb = this.store('outb');
  readonly outw = this.store('outw');
  readonly outl = this.store('outl');
  readonly inb = this.load('inb');
  readonly inw = this.load('inw');
  readonly inl = this.load('inl');
  /** Guest-physical memory, little-endian as the target is. */
  readonly writeb = this.store('writeb');
  readonly writew = this.store('writew');
  readonly writel = this.store('writel');
  readonly writeq = this.store('writeq');
  readonly readb = this.load('readb');
  readonly readw = this.load('readw');
  readonly readl = this.load('readl');

  async readq(address: GuestAddress): Promise<bigint> {
    return BigInt(await this.command(`readq ${hex(address)}`));
  }

  /** `length` bytes of guest memory (the `read` command; QEMU asserts on a zero length, so none is sent for it). */
  async memread(address: GuestAddress, length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    return Buffer.from((await this.command(`read ${hex(address)} ${hex(length)}`)).slice(2), 'hex');
  }

  /** Writes `data` to guest memory in one `b64write` (QEMU refuses an empty one, so none is sent for it). */
  async memwrite(address: GuestAddress, data: Buffer): Promise<void> {
    if (data.length === 0) return;
    await this.command(`b64write ${hex(address)} ${hex(data.length)} ${data.toString('base64')}`);
  }

  async memset(address: GuestAddress, length: number, byte: number): Promise<void> {
    await this.command(`memset ${hex(address)} ${hex(length)} ${hex(byte)}`);
  }

  /** Advances the virtual clock by `ns`, or to its next deadline; resolves with the clock after, in ns. */
  async clockStep(ns?: number): Promise<number> {
    return Number(await this.command(ns === undefined ? 'clock_step' : `clock_step ${ns}`));
  }

  /** Intercepts the device's input GPIOs (`ioapic` for the PC's interrupt lines): their changes arrive as IRQ lines. */
  async irqInterceptIn(qomPath: string): Promise<void> {
    await this.command(`irq_intercept_in ${qomPath}`);
  }

  /** The intercepted line's level once every request sent so far has been answered. */
  async irqState(line: number): Promise<boolean> {
    await this.lastSettled;
    return this.irqLevels.get(line) ?? false;
  }

  /** Stops QEMU: SIGTERM, then SIGKILL if it has not gone within two seconds. Pending requests are rejected. */
  async close(): Promise<MachineExit> {
    if (!this.exitStatus) {
      this.closing = true;
      this.socket?.destroy();
      this.child.kill('SIGTERM');
      if (!(await settlesWithin(this.exited, quitGraceMs))) this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  private flush(): void {
    const lines = this.outgoing;
    this.outgoing = [];
    if (lines.length > 0 && !this.gone) this.socket?.write(`${lines.join('\n')}\n`, 'latin1');
  }

  private receive(chunk: string): void {
    const lines = (this.received + chunk).split('\n');
    this.received = lines.pop() ?? '';
    for (const line of lines) this.answer(line);
  }

  private answer(line: string): void {
    const irq = /^IRQ (raise|lower) (\d+)$/.exec(line);
    if (irq) {
      this.irqLevels.set(Number(irq[2]), irq[1] === 'raise');
      return;
    }
    const request = this.pending.shift();
    if (!request) {
      this.abandon(new Error(`qtest: QEMU sent \`${line}\` when no request awaited a reply`));
      this.child.kill('SIGKILL');
      return;
    }
    if (line === 'OK') request.resolve('');
    else if (line.startsWith('OK ')) request.resolve(line.slice(3));
    else request.reject(new QtestCommandFailed(request.line, line));
  }

  /** Rejects every pending request, and every later one, with `reason` (by default, QEMU's exit). */
  private abandon(reason: Error | undefined): void {
    this.gone ??= reason ?? this.exitError();
    for (let request = this.pending.shift(); request; request = this.pending.shift()) request.reject(this.gone);
  }

  private exitError(): Error {
    const oldest = this.pending[0];
    const during = oldest ? `while \`${oldest.line}\` awaited its qtest reply` : 'with no qtest request outstanding';
    return new QemuExited(this.exitStatus as MachineExit, this.stderrTail(), during);
  }

  private keepStderr(chunk: string): void {
    const lines = (this.stderrPartial + chunk).split('\n');
    this.stderrPartial = lines.pop() ?? '';
    this.stderrLines.push(...lines);
    if (this.stderrLines.length > stderrLinesKept) this.stderrLines.splice(0, this.stderrLines.length - stderrLinesKept);
  }
}
