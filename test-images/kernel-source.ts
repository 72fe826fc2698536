import path from 'node:path';
import { resolveKernelPackage } from './apt-resolution';
import type { KernelInput } from './cache-key';
import { debFileName, downloadKernelPackage, unpackKernelPackage } from './debian-kernel';
import { logStep } from './log';
import { resolveModules } from './modules';
import type { GuestProfile } from './profile';
import { type UserInput, inspectUserKernel } from './user-kernel';

/** Where an image's kernel and modules come from: Debian's package, or a kernel the user built. */
export interface KernelSource {
  /** What identifies the kernel in the image's key; known without downloading or unpacking. */
  input: KernelInput;
  release: string;
  /** Downloads and unpacks, if need be, and says where the kernel's files are. */
  fetch(): KernelFiles;
}

export interface KernelFiles {
  bzImage?: string;
  /** An ELF kernel with a PVH entry point. */
  vmlinux?: string;
  modulesDir: string;
  /** Whether the files are the builder's own, in its cache, which it never changes once written. */
  inCache: boolean;
}

export function chooseKernelSource(profile: GuestProfile, userKernel?: { kernel: UserInput; modules: UserInput }): KernelSource {
  return userKernel ? userKernelSource(profile, userKernel.kernel, userKernel.modules) : debianKernelSource(profile);
}

function userKernelSource(profile: GuestProfile, kernelInput: UserInput, modulesInput: UserInput): KernelSource {
  const kernel = inspectUserKernel(kernelInput, modulesInput);
  logStep(`kernel ${kernel.path}: ${kernel.format}, release ${kernel.release}, modules from ${kernel.modulesDir}`);
  return {
    input: { kind: 'user', kernel, modules: resolveModules(kernel.modulesDir, [...profile.modules, ...profile.standbyModules]) },
    release: kernel.release,
    fetch: () => ({
      ...(kernel.format === 'bzimage' ? { bzImage: kernel.path } : { vmlinux: kernel.path }),
      modulesDir: kernel.modulesDir,
      inCache: false,
    }),
  };
}

function debianKernelSource(profile: GuestProfile): KernelSource {
  const kernelPackage = resolveKernelPackage(profile.kernelPackage);
  const resolvedBy = kernelPackage.fromMemo ? 'apt lists unchanged since last resolved' : 'resolved with apt-cache';
  logStep(`kernel ${kernelPackage.requested}: ${kernelPackage.name} ${kernelPackage.version} (${resolvedBy})`);
  return {
    input: { kind: 'debian', debFileName: debFileName(kernelPackage) },
    release: kernelPackage.release,
    fetch: () => {
      const { deb, downloaded } = downloadKernelPackage(kernelPackage);
      logStep(`${downloaded ? 'downloaded' : 'have'} ${deb}`);
      const unpacked = unpackKernelPackage(kernelPackage, deb);
      logStep(
        unpacked.unpacked
          ? `unpacked it, ran depmod and extracted the PVH ELF ${path.basename(unpacked.vmlinux)}: ${unpacked.root}`
          : `have it unpacked: ${unpacked.root}`,
      );
      return { bzImage: unpacked.bzImage, vmlinux: unpacked.vmlinux, modulesDir: unpacked.modulesDir, inCache: true };
    },
  };
}
