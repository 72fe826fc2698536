import { spawn as spawnPty, IPty } from 'node-pty';
import { AgentChannel, AgentClient, AgentTimeout } from '../guest/agent-client';
import { SocketChannel } from '../guest/socket-channel';
import { Hello } from '../guest/messages';
import { reaper } from '../process/reaper';
import { settlesWithin } from '../process/within';
import { MachineSpec, qemuArgs } from './cmdline';
import { BootTimeout, MachineExit, QemuExited } from './machine-exit';
import { QmpClient } from './qmp';
import { delay } from '../process/delay';
import { readSanitizerLog, sanitizerEnvironment } from './sanitizer-environment';

/** A path as one word of `sh -c`, which QEMU's exec: migration runs. */
export const shellQuoted = (path: string): string => `'${path.replace(/'/g, `'\\''`)}'`;

const consoleLinesInErrors = 50;
/** QEMU listens on the agent's socket within milliseconds of its start; a busy host may take longer. */
const portConnectTimeoutMs = 30_000;

/**
 * One running QEMU, its serial console on a pty (node-pty), the guest agent on a virtio-serial port's socket
 * (or on that console), and QMP.
 * The guest is ready once the agent's hello frame has arrived.
 */
export class QemuMachine {
  readonly exited: Promise<MachineExit>;
  private exitStatus: MachineExit | undefined;
  private qmpClient: QmpClient | undefined;
  private ready = false;
  private readonly forgetProcess: () => void;

  private constructor(
    private readonly pty: IPty,
    readonly spec: MachineSpec,
    readonly agent: AgentClient,
    readonly spawnedAt: number,
  ) {
    this.forgetProcess = reaper.watchProcess(pty.pid);
    this.exited = new Promise((resolve) =>
      pty.onExit(({ exitCode, signal }) => {
        this.exitStatus = { exitCode, signal: signal || undefined };
        this.forgetProcess();
        const during = this.ready ? 'while the harness was talking to the guest' : 'before the guest agent said hello';
        const report = spec.sanitizerLog === undefined ? undefined : readSanitizerLog(spec.sanitizerLog, pty.pid);
        agent.close(new QemuExited(this.exitStatus, this.consoleTail(consoleLinesInErrors), during, report));
        resolve(this.exitStatus);
      }),
    );
  }

  static launch(spec: MachineSpec, requestTimeoutMs: number): QemuMachine {
    const pty = spawnPty(spec.qemu.path, qemuArgs(spec), {
      name: 'dumb',
      cols: 250,
      rows: 50,
      encoding: null,
      ...(spec.qemu.sanitized && { env: sanitizerEnvironment(spec.sanitizerLog) }),
    } as Parameters<typeof spawnPty>[2]);
    const console: AgentChannel = {
      write: (data: Buffer) => pty.write(data as unknown as string),
      onData: (listener: (chunk: Buffer) => void) => pty.onData((chunk) => listener(chunk as unknown as Buffer)),
    };
    // Asked only later, while connecting: by then the machine below exists.
    const running = (): boolean => machine.exit === undefined;
    const port = spec.agentPort ? SocketChannel.connect(spec.agentPort.socket, portConnectTimeoutMs, running) : undefined;
    const agent = port ? new AgentClient(port, { requestTimeoutMs, console }) : new AgentClient(console, { requestTimeoutMs });
    const machine: QemuMachine = new QemuMachine(pty, spec, agent, Date.now());
    void machine.exited.then(() => port?.close());
    return machine;
  }

  get pid(): number {
    return this.pty.pid;
  }

  get exit(): MachineExit | undefined {
    return this.exitStatus;
  }

  consoleTail(lines: number): string[] {
    return this.agent.consoleTail(lines);
  }

  /** Resolves with the agent's hello; rejects with QemuExited if QEMU ends first, BootTimeout after `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<Hello> {
    try {
      const hello = await this.agent.waitForHello(timeoutMs);
      this.ready = true;
      return hello;
    } catch (error) {
      if (error instanceof AgentTimeout) throw new BootTimeout(timeoutMs, this.consoleTail(consoleLinesInErrors));
      throw error;
    }
  }

  /**
   * For a guest restored from a snapshot (`-incoming`), whose agent said hello long ago in the snapshotted
   * guest: ready once the agent answers an ECHO. Rejects as waitReady does.
   */
  async waitResumed(timeoutMs: number): Promise<void> {
    try {
      await this.agent.echo(Buffer.from('resumed'), { timeoutMs });
      this.ready = true;
    } catch (error) {
      if (error instanceof AgentTimeout) throw new BootTimeout(timeoutMs, this.consoleTail(consoleLinesInErrors));
      throw error;
    }
  }

  /**
   * Writes the running guest's whole state (RAM and devices) to `file` as a migration stream, then lets it
   * run on: a later QEMU started with `-incoming` from it is this guest, booted, in a fraction of a boot.
   */
  async saveState(file: string, timeoutMs: number): Promise<void> {
    const qmp = await this.qmp();
    await qmp.execute('migrate', { uri: `exec:cat > ${shellQuoted(file)}` });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, 'error-desc': error } = await qmp.execute<{ status: string; 'error-desc'?: string }>('query-migrate');
      if (status === 'completed') break;
      if (status === 'failed' || status === 'cancelled') throw new Error(`saving the guest's state to ${file}: migration ${status}${error ? `: ${error}` : ''}`);
      if (Date.now() > deadline) throw new Error(`saving the guest's state to ${file}: not done within ${timeoutMs} ms`);
      await delay(20);
    }
    // A completed migration leaves the source paused; it is still the guest the harness talks to.
    await qmp.execute('cont');
  }

  async qmp(): Promise<QmpClient> {
    this.qmpClient ??= await QmpClient.connect(this.spec.qmpSocket, 10_000, () => !this.exitStatus);
    return this.qmpClient;
  }

  /** Asks the guest to power off, then QEMU to quit, then kills it: each step only if it can help and the last did not end it. */
  async shutdown(): Promise<MachineExit> {
    if (!this.exitStatus && this.ready) {
      await settlesWithin(this.agent.poweroff(), 3_000);
      await settlesWithin(this.exited, 3_000);
    }
    if (!this.exitStatus && this.qmpClient) {
      await settlesWithin(this.qmpClient.execute('quit'), 2_000);
      await settlesWithin(this.exited, 2_000);
    }
    if (!this.exitStatus) this.pty.kill('SIGKILL');
    this.qmpClient?.close();
    return this.exited;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.pty.kill(signal);
  }
}
