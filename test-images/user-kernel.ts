import fs from 'node:fs';
import path from 'node:path';
import { bzImageKernelRelease, isBzImage } from './bzimage';
import { elfKernelRelease, hasPvhEntryNote, isElf } from './elf';
import { InputError } from './errors';

/** A file the user gave, with how they named it (an option or an environment variable). */
export interface UserInput {
  /** Absolute. */
  path: string;
  name: string;
}

/** A kernel the user built, given instead of Debian's package. */
export interface UserKernel {
  path: string;
  format: 'bzimage' | 'pvh-elf';
  release: string;
  modulesDir: string;
}

export function inspectUserKernel(kernel: UserInput, modules: UserInput): UserKernel {
  const { format, release } = identifyKernel(readKernel(kernel), `${kernel.name} ${kernel.path}`);
  const modulesLabel = `${modules.name} ${modules.path}`;
  if (!fs.statSync(modules.path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`${modulesLabel}: no such directory`);
  }
  const modulesRelease = path.basename(modules.path);
  if (modulesRelease !== release) {
    throw new InputError(
      `${modulesLabel}: expected the modules directory of release ${release} (like /lib/modules/${release}), got ${modulesRelease}`,
    );
  }
  return { path: kernel.path, format, release, modulesDir: modules.path };
}

function identifyKernel(image: Buffer, label: string): Pick<UserKernel, 'format' | 'release'> {
  if (isBzImage(image)) return { format: 'bzimage', release: bzImageKernelRelease(image) };
  if (!isElf(image)) throw new InputError(`${label}: neither a bzImage nor an ELF vmlinux`);
  if (!hasPvhEntryNote(image)) {
    throw new InputError(`${label}: an ELF kernel without a PVH entry note (build it with CONFIG_PVH=y, or pass its bzImage)`);
  }
  const release = elfKernelRelease(image);
  if (!release) throw new InputError(`${label}: no "Linux version" string in it`);
  return { format: 'pvh-elf', release };
}

function readKernel(kernel: UserInput): Buffer {
  try {
    return fs.readFileSync(kernel.path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`${kernel.name} ${kernel.path}: ${reason}`);
  }
}
