import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateQemu, probeQemu } from '../qemu/binary';

const run = promisify(execFile);

/** Whether the binary lists the qtest accelerator (`-accel help`): Debian's packages remove it. */
const hasQtest = async (path: string): Promise<boolean> => {
  try {
    const { stdout } = await run(path, ['-accel', 'help'], { timeout: 30_000 });
    return /^qtest$/m.test(stdout);
  } catch {
    return false;
  }
};

/** Where test-images/qemu-stable.sh keeps the upstream build of `version` (its cache, as the script names it). */
const stableLevel = (version: string, env: NodeJS.ProcessEnv): string => {
  const cache = env.HBADIFF_QEMU_STABLE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hbadiff', 'qemu-stable');
  return join(cache, 'levels', version, 'qemu-system-x86_64');
};

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The QEMU a frame-level command runs: `--qemu` or QTEST_QEMU_BINARY as given; otherwise the one on PATH if
 * it has the qtest accelerator, else the upstream build of the same version that qemu-stable.sh made, if it
 * did (said on stderr). Failing all that, PATH's, whose missing accelerator the qtest client names in one line.
 */
export const locateQtestQemu = async (explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  const located = locateQemu(explicit, env);
  if (explicit !== undefined || (env.QTEST_QEMU_BINARY ?? '') !== '' || (await hasQtest(located))) return located;
  const { version } = await probeQemu(located);
  const upstream = stableLevel(version, env);
  if (!isExecutable(upstream)) return located;
  console.error(`hbadiff: ${located} has no qtest accelerator; using upstream QEMU ${version} built by test-images/qemu-stable.sh: ${upstream}`);
  return upstream;
};
