import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The harness side of `reaper-process.js`: whatever is registered here is killed or removed even if this process
 * dies without running its own cleanup (SIGKILL, a killed jest worker, an uncaught error).
 */
class Reaper {
  private child: ChildProcess | undefined;
  private nextKey = 0;

  private send(message: object): void {
    if (!this.child) {
      this.child = spawn(process.execPath, [join(__dirname, 'reaper-process.js')], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    }
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  /** Returns the function that unregisters it once the owner has stopped it itself. */
  watchProcess(pid: number): () => void {
    const key = `p${this.nextKey++}`;
    this.send({ process: { key, pid } });
    return () => this.send({ forgetProcess: key });
  }

  watchPath(path: string): void {
    this.send({ path });
  }

  forgetPath(path: string): void {
    this.send({ forgetPath: path });
  }
}

export const reaper = new Reaper();
