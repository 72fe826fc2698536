import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SetupError } from './errors';

/** Every external program the builder runs, with the Debian package that provides it. */
const toolPackages = {
  'apt-cache': 'apt',
  'apt-get': 'apt',
  busybox: 'busybox-static',
  depmod: 'kmod',
  'dpkg-deb': 'dpkg',
  'dpkg-query': 'dpkg',
  'iscsi-test-cu': 'libiscsi-bin',
  gcc: 'gcc',
  ldd: 'libc-bin',
  sg_inq: 'sg3-utils',
  sg_raw: 'sg3-utils',
  xz: 'xz-utils',
  zstd: 'zstd',
} as const;

type Tool = keyof typeof toolPackages;

// A user's PATH on Debian lacks the sbin directories, where depmod lives.
const sbinDirs = ['/usr/sbin', '/sbin'];

export function findTool(tool: Tool): string {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...sbinDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new SetupError(`missing tool '${tool}': install the Debian package ${toolPackages[tool]}`);
}

export function requireTools(tools: readonly Tool[]): void {
  for (const tool of tools) findTool(tool);
}

interface RunOptions {
  cwd?: string;
  input?: Buffer;
  /** Where the program's standard output goes instead of being returned. */
  stdoutFd?: number;
  /** Exit statuses that are answers rather than failures. */
  allowedStatuses?: readonly number[];
}

const maxCapturedOutput = 64 * 1024 * 1024;

/** Runs a tool to completion; returns its standard output, or fails with its error output. */
export function run(tool: Tool, args: readonly string[], options: RunOptions = {}): string {
  const result = spawnSync(findTool(tool), args, {
    cwd: options.cwd,
    input: options.input,
    stdio: ['pipe', options.stdoutFd ?? 'pipe', 'pipe'],
    maxBuffer: maxCapturedOutput,
  });
  if (result.error) throw new SetupError(`${tool} could not run: ${result.error.message}`);
  if (result.status === null || !(options.allowedStatuses ?? [0]).includes(result.status)) {
    const stderr = result.stderr.toString().trim();
    const status = result.status === null ? `signal ${result.signal}` : `status ${result.status}`;
    throw new SetupError(`${tool} ${args.join(' ')} failed (${status})${stderr ? `:\n${stderr}` : ''}`);
  }
  return result.stdout?.toString() ?? '';
}
