import { createHash } from 'node:crypto';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { writingTo } from '../errors/environment-fault';
import { DiskAfter } from './case-run';

export const digestOf = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

const initialDigests = new WeakMap<Buffer, string>();

/**
 * The digest of a disk's initial content, which every case starts from: hashed once per buffer, not once
 * per case (the buffers are shared and never written, see initialDiskContent).
 */
export const initialDigestOf = (initial: Buffer): string => {
  const known = initialDigests.get(initial);
  if (known) return known;
  const digest = digestOf(initial);
  initialDigests.set(initial, digest);
  return digest;
};

/**
 * Reads a backing file from the host. QEMU's raw files and tgtd's rdwr store both go through the host's page
 * cache with no cache of their own, and the guest has no block driver caching above sg, so the file is what
 * the disk holds once the commands have completed.
 */
export const readDisk = async (file: string, initialDigest: string): Promise<DiskAfter> => {
  const bytes = await readFile(file);
  const digest = digestOf(bytes);
  return { digest, bytes: digest === initialDigest ? undefined : bytes };
};

/** Puts a disk back to its initial content, so every case starts where a fresh boot would. */
export const restoreDisk = (file: string, initial: Buffer): Promise<void> => writingTo(file, () => writeFile(file, initial));

/**
 * A modification time no write can give a file: set once the harness knows a disk's content, it stays
 * until QEMU or tgtd writes to the file (a write or a hole punched sets it to now), so that a disk no
 * case command wrote is known unchanged without reading 8 MiB and hashing it.
 */
const untouched = new Date(Date.UTC(2000, 0, 1));

export const markUntouched = (file: string): Promise<void> => writingTo(file, () => utimes(file, untouched, untouched));

export const isUntouched = async (file: string): Promise<boolean> => (await stat(file)).mtimeMs === untouched.getTime();

/** What the disk holds after a case: its initial content unless something wrote to the file (then read, and marked again). */
export const diskAfter = async (file: string, initialDigest: string): Promise<DiskAfter> => {
  if (await isUntouched(file)) return { digest: initialDigest, bytes: undefined };
  const disk = await readDisk(file, initialDigest);
  await markUntouched(file);
  return disk;
};
