import { dir } from 'tmp-promise';
import { CleanupStack } from './cleanup-stack';
import { reaper } from './reaper';

/**
 * A private temporary directory for one session's files (disks, traces), removed by `cleanup` and, should
 * the harness be killed before that, by the reaper.
 */
export const sessionWorkDir = async (prefix: string, cleanup: CleanupStack): Promise<string> => {
  const workDir = await dir({ prefix, mode: 0o700, unsafeCleanup: true });
  reaper.watchPath(workDir.path);
  cleanup.push(async () => {
    await workDir.cleanup();
    reaper.forgetPath(workDir.path);
  });
  return workDir.path;
};
