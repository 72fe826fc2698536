import { cannotTestExitCode, UserError } from './user-error';

/**
 * The machine the harness runs on failed, not QEMU: tgtd died or stopped answering, the disk is full, a
 * port is taken. Nothing QEMU did is recorded for it; the command stops with one line and exits 125, the
 * code `git bisect run` reads as "cannot test".
 */
export class EnvironmentFault extends UserError {
  constructor(message: string) {
    super(message, cannotTestExitCode);
    this.name = 'EnvironmentFault';
  }
}

/** What the host's errno means for the user, for the failures no retry of the harness can fix. */
const hostConditions: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EMFILE: 'this process has too many open files',
  ENFILE: 'the system has too many open files',
  ENOMEM: 'out of memory',
  EADDRINUSE: 'the address is already in use',
};

/**
 * A system error from node (duck-typed: errors from another realm fail `instanceof Error`) that is the
 * environment's fault, as an EnvironmentFault naming the file or address (a failed write names neither:
 * `file` then says which); anything else, undefined.
 */
export const environmentFaultOf = (error: unknown, file?: string): EnvironmentFault | undefined => {
  const { code, path, address, port } = (error ?? {}) as { code?: unknown; path?: unknown; address?: unknown; port?: unknown };
  const condition = typeof code === 'string' ? hostConditions[code] : undefined;
  if (!condition) return undefined;
  const where = typeof path === 'string' ? path : typeof address === 'string' ? `${address}${port === undefined ? '' : `:${port}`}` : file;
  return new EnvironmentFault(`${where ? `${where}: ` : ''}${condition} (${code})`);
};

/** Runs a write to `file`, turning a full disk or the like into an EnvironmentFault that names the file. */
export const writingTo = async <T>(file: string, write: () => Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    throw environmentFaultOf(error, file) ?? error;
  }
};
