import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { isSanitizerBuild } from './sanitizer-build';
import { sanitizerEnvironment } from './sanitizer-environment';

const run = promisify(execFile);

/** A QEMU system emulator that has been found and asked what it can do. */
export interface QemuBinary {
  readonly path: string;
  /** As `query-version` would say it, e.g. `7.2.22`. */
  readonly version: string;
  /** The version line's package suffix, e.g. `Debian 1:7.2+dfsg-7+deb12u18+b3`. */
  readonly packageVersion: string;
  readonly devices: ReadonlySet<string>;
  readonly machines: ReadonlySet<string>;
  /** The trace events this build has (`-trace help`). */
  readonly traceEvents: ReadonlySet<string>;
  /** Built with AddressSanitizer or UBSan: it runs in their environment (sanitizer-environment.ts), and its reports name its crashes. */
  readonly sanitized: boolean;
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `--qemu`, else `QTEST_QEMU_BINARY` (QEMU's own convention), else `qemu-system-x86_64` on PATH. */
export const locateQemu = (explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string => {
  const chosen = explicit ?? env.QTEST_QEMU_BINARY;
  if (chosen !== undefined && chosen !== '') {
    const origin = explicit !== undefined ? '--qemu' : 'QTEST_QEMU_BINARY';
    const path = isAbsolute(chosen) ? chosen : resolve(chosen);
    if (!isExecutable(path)) throw new UserError(`${origin}: ${chosen} is not an executable file`, cannotTestExitCode);
    return path;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'qemu-system-x86_64');
    if (dir !== '' && isExecutable(candidate)) return candidate;
  }
  throw new UserError(
    'qemu-system-x86_64 is not on PATH: install qemu-system-x86, or name a binary with --qemu or QTEST_QEMU_BINARY',
    cannotTestExitCode,
  );
};

const capture = async (path: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> => {
  try {
    const { stdout, stderr } = await run(path, args, { timeout: 30_000, maxBuffer: 16 * 1024 * 1024, env });
    return stdout + stderr;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n')[0] ?? String(error);
    throw new UserError(`${path} ${args.join(' ')} failed: ${detail}`, cannotTestExitCode);
  }
};

const namesIn = (listing: string, pattern: RegExp): Set<string> =>
  new Set([...listing.matchAll(pattern)].map((match) => match[1]));

export const probeQemu = async (path: string): Promise<QemuBinary> => {
  const sanitized = await isSanitizerBuild(path);
  const env = sanitized ? sanitizerEnvironment() : process.env;
  const [versionText, deviceText, machineText, traceText] = await Promise.all([
    capture(path, ['--version'], env),
    capture(path, ['-device', 'help'], env),
    capture(path, ['-machine', 'help'], env),
    capture(path, ['-trace', 'help'], env),
  ]);
  const version = /version (\d+\.\d+\.\d+)/.exec(versionText);
  if (!version) throw new UserError(`${path} does not look like QEMU: --version printed no version`, cannotTestExitCode);
  return {
    path,
    version: version[1],
    packageVersion: /\(([^)]*)\)/.exec(versionText.split('\n')[0])?.[1] ?? '',
    devices: namesIn(deviceText, /^name "([^"]+)"/gm),
    machines: namesIn(machineText, /^(\S+)\s{2,}/gm),
    traceEvents: namesIn(traceText, /^(\w+)$/gm),
    sanitized,
  };
};

export const requireDevices = (qemu: QemuBinary, needed: Iterable<string>): void => {
  const missing = [...new Set(needed)].filter((device) => !qemu.devices.has(device));
  if (missing.length > 0) {
    throw new UserError(`${qemu.path} (QEMU ${qemu.version}) lacks device(s): ${missing.join(', ')}`, cannotTestExitCode);
  }
};

/**
 * The iSCSI block driver is a loadable module in distribution builds (Debian: qemu-block-extra); `-drive
 * format=help` lists it even when the module is absent, so ask QEMU to open a portal nobody listens on and
 * tell "unknown driver" apart from "could not connect".
 */
export const requireIscsiDriver = async (qemu: QemuBinary): Promise<void> => {
  const output = await run(
    qemu.path,
    [
      '-nodefaults', '-machine', 'none', '-display', 'none',
      '-blockdev', 'driver=iscsi,transport=tcp,portal=127.0.0.1:1,target=iqn.2000-01.invalid:probe,lun=0,node-name=probe',
    ],
    { timeout: 30_000 },
  ).then(
    ({ stderr }) => stderr,
    (error: { stderr?: string }) => error.stderr ?? '',
  );
  if (/Unknown driver|could not load|Failed to (open|load) module/i.test(output)) {
    throw new UserError(
      `${qemu.path} cannot load its iSCSI block driver (Debian: install qemu-block-extra): ${output.trim().split('\n')[0]}`,
      cannotTestExitCode,
    );
  }
};
