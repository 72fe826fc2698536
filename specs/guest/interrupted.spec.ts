import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { delay } from '../../harness/process/delay';

interface Held {
  readonly qemuPid: number;
  readonly tgtdPid: number;
  readonly workDir: string;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the fixture in a process group of its own, as a terminal's foreground job is, and waits for its report. */
const holdSession = async (): Promise<{ held: Held; groupLeader: number }> => {
  const child = spawn(join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, '..', 'fixtures', 'hold-session.ts')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the fixture exited with ${code} before it booted`)));
  });
  return { held: JSON.parse(firstLine) as Held, groupLeader: child.pid! };
};

const leftoversOf = (held: Held): string[] => [
  ...(isAlive(held.qemuPid) ? [`qemu ${held.qemuPid}`] : []),
  ...(isAlive(held.tgtdPid) ? [`tgtd ${held.tgtdPid}`] : []),
  ...(existsSync(held.workDir) ? [held.workDir] : []),
];

/** What is still there once cleanup has had 20 s to happen. */
const leftoversAfterCleanup = async (held: Held): Promise<string[]> => {
  const deadline = Date.now() + 20_000;
  while (leftoversOf(held).length > 0 && Date.now() < deadline) await delay(100);
  return leftoversOf(held);
};

describe('a harness killed in the middle of a session', () => {
  it.each(['SIGINT', 'SIGKILL'] as const)(
    'leaves no QEMU, no tgtd and no temp directory behind after %s to its process group',
    async (signal) => {
      const { held, groupLeader } = await holdSession();
      expect(leftoversOf(held)).toHaveLength(3);
      process.kill(-groupLeader, signal);
      expect(await leftoversAfterCleanup(held)).toEqual([]);
    },
    180_000,
  );
});
