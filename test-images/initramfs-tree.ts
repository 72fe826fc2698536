import fs from 'node:fs';
import path from 'node:path';

export type InitramfsEntry =
  | { kind: 'directory'; mode: number }
  | { kind: 'file'; mode: number; data: Buffer }
  | { kind: 'symlink'; target: string }
  | { kind: 'characterDevice'; mode: number; major: number; minor: number };

/**
 * The guest's root file system, held in memory: device nodes need no privileges this way, and
 * the archive depends only on the content, not on the host's owners and times.
 */
export class InitramfsTree {
  private readonly entries = new Map<string, InitramfsEntry>();

  addDirectory(imagePath: string, mode = 0o755): void {
    const normalized = normalize(imagePath);
    if (normalized === '' || this.entries.has(normalized)) return;
    this.addDirectory(path.posix.dirname(normalized));
    this.entries.set(normalized, { kind: 'directory', mode });
  }

  addFile(imagePath: string, data: Buffer, mode: number): void {
    this.add(imagePath, { kind: 'file', mode, data });
  }

  /** Copies a host file (following symbolic links), keeping its permission bits. */
  addHostFile(imagePath: string, hostPath: string): void {
    this.addFile(imagePath, fs.readFileSync(hostPath), fs.statSync(hostPath).mode & 0o7777);
  }

  addSymlink(imagePath: string, target: string): void {
    this.add(imagePath, { kind: 'symlink', target });
  }

  addCharacterDevice(imagePath: string, major: number, minor: number, mode = 0o600): void {
    this.add(imagePath, { kind: 'characterDevice', mode, major, minor });
  }

  /** Entries sorted by path, so every directory comes before what it contains. */
  sortedEntries(): Array<[string, InitramfsEntry]> {
    return [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private add(imagePath: string, entry: InitramfsEntry): void {
    const normalized = normalize(imagePath);
    this.addDirectory(path.posix.dirname(normalized));
    this.entries.set(normalized, entry);
  }
}

function normalize(imagePath: string): string {
  return path.posix.normalize(`/${imagePath}`).slice(1).replace(/\/$/, '');
}
