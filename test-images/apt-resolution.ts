import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from './atomic-dir';
import { InputError } from './errors';
import { logStep } from './log';
import { cacheDir } from './paths';
import { run } from './tools';

/** The real kernel package behind a profile's kernelPackage, e.g. linux-image-amd64. */
export interface KernelPackage {
  requested: string;
  name: string;
  version: string;
  architecture: string;
  /** The kernel's release, as uname -r prints it and /lib/modules names it. */
  release: string;
}

/**
 * Resolves through apt-cache, remembering the answer until apt's package lists change: this
 * machine's apt keeps no binary cache, so each apt-cache call parses every list (about a second),
 * which would be most of a cached build's time.
 */
export function resolveKernelPackage(requested: string): KernelPackage & { fromMemo: boolean } {
  const memoFile = path.join(cacheDir, `apt-resolution-${requested}.json`);
  const fingerprint = aptStateFingerprint();
  const memo = readMemo(memoFile);
  if (memo?.fingerprint === fingerprint) return { ...memo.resolved, fromMemo: true };
  const resolved = resolveWithAptCache(requested);
  fs.mkdirSync(cacheDir, { recursive: true });
  writeFileAtomically(memoFile, JSON.stringify({ fingerprint, resolved }, null, 2));
  return { ...resolved, fromMemo: false };
}

interface Memo {
  fingerprint: string;
  resolved: KernelPackage;
}

function readMemo(file: string): Memo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Memo;
  } catch {
    return undefined;
  }
}

const aptStatePaths = [
  '/var/lib/apt/lists',
  '/var/lib/dpkg/status',
  '/etc/apt/sources.list',
  '/etc/apt/sources.list.d',
  '/etc/apt/preferences',
  '/etc/apt/preferences.d',
];

/** Names, sizes and modification times of everything that decides apt's candidate versions. */
function aptStateFingerprint(): string {
  const hash = crypto.createHash('sha256');
  for (const statePath of aptStatePaths) {
    const files = fs.existsSync(statePath) && fs.statSync(statePath).isDirectory()
      ? fs.readdirSync(statePath).sort().map((entry) => path.join(statePath, entry))
      : [statePath];
    for (const file of files) {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      hash.update(`${file} ${stat ? `${stat.size} ${stat.mtimeMs}` : 'absent'}\n`);
    }
  }
  return hash.digest('hex');
}

function resolveWithAptCache(requested: string): KernelPackage {
  const record = showCandidate(requested) ?? showCandidateAfterUpdate(requested);
  const dependency = kernelDependency(record);
  const real = dependency ? showCandidate(dependency) : record;
  if (!real) throw new InputError(`kernel package ${requested}: apt-cache cannot show its dependency ${dependency}`);
  const name = field(real, 'Package');
  return {
    requested,
    name,
    version: field(real, 'Version'),
    architecture: field(real, 'Architecture'),
    release: name.replace(/^linux-image-/, ''),
  };
}

function showCandidateAfterUpdate(requested: string): Map<string, string> {
  logStep(`apt-cache knows no ${requested}: running apt-get update`);
  run('apt-get', ['update', '-qq']);
  const record = showCandidate(requested);
  if (!record) throw new InputError(`kernel package ${requested}: apt knows no such package`);
  return record;
}

/** The fields of the candidate version's record, or undefined when apt knows no such package. */
function showCandidate(packageSpec: string): Map<string, string> | undefined {
  let output: string;
  try {
    output = run('apt-cache', ['show', '--no-all-versions', packageSpec]);
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const match of output.split('\n\n')[0].matchAll(/^([\w-]+): (.*)$/gm)) fields.set(match[1], match[2]);
  return fields.has('Package') ? fields : undefined;
}

/** A meta package's real kernel: its dependency on another linux-image-* package. */
function kernelDependency(record: Map<string, string>): string | undefined {
  const self = field(record, 'Package');
  for (const dependency of (record.get('Depends') ?? '').split(/[,|]/)) {
    const match = /^\s*(linux-image-[\w.+-]+)(?:\s*\(=\s*([^)\s]+)\))?/.exec(dependency);
    if (match && match[1] !== self) return match[2] ? `${match[1]}=${match[2]}` : match[1];
  }
  return undefined;
}

function field(record: Map<string, string>, name: string): string {
  const value = record.get(name);
  if (value === undefined) throw new InputError(`apt-cache record of ${record.get('Package')} has no ${name} field`);
  return value;
}
