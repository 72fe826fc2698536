import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireAgentSource } from './agent';
import { hostPackageVersions } from './host-packages';
import type { ModuleSet } from './modules';
import { agentDir, guestImageSource, imagesDir, initScript, repoRoot, sgioLogSource } from './paths';
import type { GuestProfile } from './profile';
import type { UserKernel } from './user-kernel';

export type KernelInput =
  | { kind: 'debian'; debFileName: string }
  | { kind: 'user'; kernel: UserKernel; modules: ModuleSet };

/**
 * sha256 over everything an image is made from, so an image is rebuilt exactly when one of them
 * changes. Cheap enough for every run: it reads small files and asks dpkg-query, never apt.
 */
export function imageKey(kernel: KernelInput, profile: GuestProfile): string {
  requireAgentSource();
  const inputs = {
    kernel: kernelIdentity(kernel),
    profile,
    hostPackages: hostPackageVersions(),
    agent: hashFiles(filesIn(agentDir)),
    sgioLog: hashFiles([sgioLogSource]),
    init: hashFiles([initScript]),
    builder: hashFiles([...filesIn(imagesDir).filter((file) => file.endsWith('.ts')), guestImageSource]),
  };
  return sha256(JSON.stringify(inputs));
}

function kernelIdentity(kernel: KernelInput): unknown {
  if (kernel.kind === 'debian') return kernel.debFileName;
  return {
    kernel: sha256(fs.readFileSync(kernel.kernel.path)),
    modules: kernel.modules,
    moduleFiles: kernel.modules.files.map((file) => sha256(fs.readFileSync(path.join(kernel.kernel.modulesDir, file)))),
  };
}

function filesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

function hashFiles(files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [path.relative(repoRoot, file), sha256(fs.readFileSync(file))]));
}

function sha256(data: crypto.BinaryLike): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
