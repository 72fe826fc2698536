import fs from 'node:fs';
import path from 'node:path';

/**
 * Directories are built under a ".partial-" name and renamed into place when complete, so an
 * interrupted build never leaves something that looks finished.
 */
function partialPathFor(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.partial-${path.basename(finalPath)}-${process.pid}`);
}

export function createPartialDir(finalPath: string): string {
  const partial = partialPathFor(finalPath);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  return partial;
}

/** Renames a finished partial into place; if a concurrent build got there first, keeps theirs. */
export function publish(partial: string, finalPath: string): void {
  try {
    fs.renameSync(partial, finalPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/** Removes what interrupted builds left behind: partials whose builder process is gone. */
export function removeAbandonedPartials(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const match = /^\.partial-.*-(\d+)$/.exec(entry);
    if (match && !isProcessAlive(Number(match[1]))) {
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes a small file so that readers see either the old or the new content, never a part. */
export function writeFileAtomically(file: string, content: string): void {
  const partial = partialPathFor(file);
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}
