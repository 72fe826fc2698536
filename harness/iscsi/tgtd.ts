import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { EnvironmentFault } from '../errors/environment-fault';
import { reaper } from '../process/reaper';
import { settlesWithin } from '../process/within';
import { delay } from '../process/delay';
import { tgtdBinary } from './tgtd-binary';

const run = promisify(execFile);

/** One LUN the harness's target serves, as QEMU's iSCSI block driver needs to reach it. */
export interface IscsiLun {
  readonly portal: string;
  readonly iqn: string;
  readonly lun: number;
  /** The only initiator name the target accepts. */
  readonly initiatorName: string;
}

const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

/** Enough for an AddressSanitizer report, whose top frames come first. */
const consoleTailLines = 200;

/**
 * A private tgtd (Debian package tgt) on 127.0.0.1, with its own portal and control port so that several
 * can run at once, each LUN in its own target and open only to this harness's initiator name.
 */
export class TgtdServer {
  private readonly tids: number[] = [];
  private readonly output: string[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Settles when tgtd exits, however: what a batch in flight on its LUNs waits on besides the guest. */
  readonly exit: Promise<void>;
  private readonly forgetProcess: () => void;
  /** The files tgtd makes for its control port, which it leaves behind if killed. */
  readonly controlSockets: readonly string[];
  readonly initiatorName = `iqn.2026-11.org.hbadiff:initiator-${randomBytes(6).toString('hex')}`;

  private constructor(
    private readonly process: ChildProcess,
    readonly port: number,
    readonly controlPort: number,
  ) {
    this.forgetProcess = reaper.watchProcess(process.pid ?? -1);
    this.controlSockets = ['', '.lock'].map((suffix) => `/run/tgtd/socket.${controlPort}${suffix}`);
    this.controlSockets.forEach((path) => reaper.watchPath(path));
    const keep = (chunk: Buffer): void => {
      this.output.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      this.output.splice(0, Math.max(0, this.output.length - consoleTailLines));
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    this.exit = new Promise((done) =>
      process.once('exit', (code, signal) => {
        this.exited = { code, signal };
        done();
      }),
    );
  }

  static async start(tgtdPath = tgtdBinary()): Promise<TgtdServer> {
    let lastFailure = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freeLoopbackPort();
      const controlPort = 1024 + (randomBytes(2).readUInt16BE() % 30000);
      const child = spawn(tgtdPath, ['-f', '-C', String(controlPort), '--iscsi', `portal=127.0.0.1:${port}`], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const spawned = await new Promise<Error | undefined>((done) => {
        child.once('spawn', () => done(undefined));
        child.once('error', done);
      });
      if (spawned) {
        throw new EnvironmentFault(`cannot start ${tgtdPath} (Debian: install tgt): ${spawned.message}`);
      }
      const server = new TgtdServer(child, port, controlPort);
      if (await server.waitReady()) {
        server.version = await server.askVersion();
        return server;
      }
      lastFailure = server.output.join(' | ');
      await server.stop();
    }
    throw new EnvironmentFault(`tgtd did not start on 127.0.0.1 after 5 attempts: ${lastFailure}`);
  }

  private async tgtadm(args: string[], timeoutMs = 15_000): Promise<void> {
    await run('tgtadm', ['-C', String(this.controlPort), '--lld', 'iscsi', ...args], { timeout: timeoutMs });
  }

  /** tgt's version, as findings about the target name it (`tgt 1.0.85`): tgtadm and tgtd come from one build. */
  version = 'tgt';

  private async askVersion(): Promise<string> {
    const answer = await run('tgtadm', ['--version'], { timeout: 5_000 }).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    );
    return /^\d+(\.\d+)+$/.test(answer) ? `tgt ${answer}` : 'tgt';
  }

  private async waitReady(): Promise<boolean> {
    for (let waited = 0; waited < 10_000 && !this.exited; waited += 50) {
      const answered = await this.tgtadm(['--op', 'show', '--mode', 'system']).then(
        () => true,
        () => false,
      );
      if (answered) return true;
      await delay(50);
    }
    return false;
  }

  /** Serves `backingFile` as LUN 1 of a new target of its own. */
  async addLun(backingFile: string): Promise<IscsiLun> {
    const tid = this.tids.length + 1;
    const iqn = `iqn.2026-11.org.hbadiff:p${this.port}.t${tid}`;
    await this.tgtadm(['--op', 'new', '--mode', 'target', '--tid', String(tid), '-T', iqn]);
    this.tids.push(tid);
    await this.tgtadm(['--op', 'new', '--mode', 'logicalunit', '--tid', String(tid), '--lun', '1', '-b', backingFile]);
    await this.tgtadm(['--op', 'bind', '--mode', 'target', '--tid', String(tid), '-Q', this.initiatorName]);
    return { portal: `127.0.0.1:${this.port}`, iqn, lun: 1, initiatorName: this.initiatorName };
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  lastOutput(): readonly string[] {
    return this.output;
  }

  /** The kernel's word on the process (`S`, `R`, `T` stopped, …), without a word to tgtd itself. */
  private processState(): string | undefined {
    try {
      return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${this.pid}/stat`, 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  }

  /**
   * What happened to tgtd, when it has exited or is stopped, with what it printed last (an AddressSanitizer
   * report, where it was built with one); undefined while it serves. What the passthrough paths answered
   * since is the target's failure, not QEMU's. It asks the kernel, not tgtd, which a stopped tgtd could not answer.
   */
  async failure(): Promise<string | undefined> {
    // Dead but not yet reaped: its exit, with the signal that ended it, is moments away.
    if (!this.exited && this.processState() === 'Z') await settlesWithin(this.exit, 2_000);
    const state = this.exited ? undefined : this.processState();
    if (!this.exited && state !== undefined && state !== 'T' && state !== 't') return undefined;
    const what = this.exited ? `exited (${this.exited.signal ?? `status ${this.exited.code}`})` : state ? 'is stopped' : 'is gone';
    const said = this.output.length > 0 ? `\ntgtd's last output:\n${this.output.join('\n')}` : '';
    return `${this.version} (tgtd pid ${this.pid}, portal 127.0.0.1:${this.port}) ${what}; the scsi-block paths lost their target${said}`;
  }

  /**
   * tgtd ignores SIGTERM while it has targets: delete them, then the system; SIGKILL only as the last resort,
   * or at once for a tgtd that is stopped and would answer nothing.
   */
  async stop(): Promise<void> {
    const state = this.processState();
    if (!this.exited && (state === 'T' || state === 't')) {
      this.process.kill('SIGKILL');
      await this.exit;
    }
    if (!this.exited) {
      const exit = this.exit;
      for (const tid of this.tids) {
        await this.tgtadm(['--op', 'delete', '--mode', 'target', '--tid', String(tid), '--force']).catch(() => undefined);
      }
      await this.tgtadm(['--op', 'delete', '--mode', 'system']).catch(() => undefined);
      if (!(await settlesWithin(exit, 5_000))) {
        this.process.kill('SIGKILL');
        await exit;
      }
    }
    this.forgetProcess();
    for (const path of this.controlSockets) {
      rmSync(path, { force: true });
      reaper.forgetPath(path);
    }
  }
}
