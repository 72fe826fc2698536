import fs from 'node:fs';
import path from 'node:path';
import { type GuestImage, manifestFileName, missingImageFiles } from '../harness/guest/image';
import { agentPathInImage, compileAgent } from './agent';
import { createPartialDir, publish, removeAbandonedPartials, writeFileAtomically } from './atomic-dir';
import { imageKey } from './cache-key';
import { writeInitramfs } from './initramfs';
import { type KernelFiles, type KernelSource, chooseKernelSource } from './kernel-source';
import { logStep } from './log';
import { cacheDir, outDir } from './paths';
import { type GuestProfile, loadProfile } from './profile';
import { requireTools } from './tools';
import { conformanceSuitePackage } from './host-packages';
import type { UserInput } from './user-kernel';

export interface BuildOptions {
  profile: string;
  /** A kernel the user built (bzImage or PVH ELF vmlinux), with its modules directory. */
  userKernel?: { kernel: UserInput; modules: UserInput };
}

/** Builds the image for the options unless it is built already; either way makes it the current one. */
export function buildImage(options: BuildOptions): GuestImage {
  const profile = loadProfile(options.profile);
  logStep(`profile ${profile.name}: modules ${profile.modules.join(' ')}`);
  const kernel = chooseKernelSource(profile, options.userKernel);
  const key = imageKey(kernel.input, profile);
  const imageDir = path.join(outDir, key);
  const existing = readCompleteImage(imageDir);
  logStep(existing ? `image ${key} is built already` : `image ${key} is not built yet: building it`);
  const image = existing ?? buildInto(imageDir, key, profile, kernel);
  writeFileAtomically(path.join(outDir, 'current.json'), `${JSON.stringify({ key }, null, 2)}\n`);
  return image;
}

function readCompleteImage(imageDir: string): GuestImage | undefined {
  try {
    const image = JSON.parse(fs.readFileSync(path.join(imageDir, manifestFileName), 'utf8')) as GuestImage;
    return missingImageFiles(image).length === 0 ? image : undefined;
  } catch {
    return undefined;
  }
}

const buildTools = [
  ...['apt-cache', 'apt-get', 'dpkg-deb', 'depmod', 'xz', 'zstd'],
  ...['busybox', 'sg_inq', 'sg_raw', 'iscsi-test-cu', 'ldd', 'gcc'],
] as const;
const fileNames = { bzImage: 'bzImage', vmlinux: 'vmlinux', initrd: 'initramfs.cpio.gz', agent: 'agent' } as const;

function buildInto(imageDir: string, key: string, profile: GuestProfile, kernel: KernelSource): GuestImage {
  requireTools(buildTools);
  removeAbandonedPartials(outDir);
  removeAbandonedPartials(cacheDir);
  // A directory without a complete manifest is from a repository that has since moved.
  fs.rmSync(imageDir, { recursive: true, force: true });
  const partial = createPartialDir(imageDir);

  const kernelFiles = kernel.fetch();
  placeKernelFiles(kernelFiles, partial);
  const agentBinary = compileAgent(path.join(partial, fileNames.agent));
  logStep(`compiled the agent, /${agentPathInImage} in the guest`);
  const stagingDir = path.join(partial, 'staging');
  const modules = writeInitramfs(path.join(partial, fileNames.initrd), {
    modulesDir: kernelFiles.modulesDir,
    release: kernel.release,
    requestedModules: profile.modules,
    standbyModules: profile.standbyModules,
    agentBinary,
    stagingDir,
  });
  fs.rmSync(stagingDir, { recursive: true });

  const final = (name: string) => path.join(imageDir, name);
  const image: GuestImage = {
    key,
    profile: profile.name,
    kernelRelease: kernel.release,
    kernel: final(kernelFiles.vmlinux ? fileNames.vmlinux : fileNames.bzImage),
    kernelFormat: kernelFiles.vmlinux ? 'pvh-elf' : 'bzimage',
    ...(kernelFiles.bzImage ? { bzImage: final(fileNames.bzImage) } : {}),
    initrd: final(fileNames.initrd),
    kernelCmdline: profile.kernelCmdline,
    modules: modules.toLoad.filter((name) => !profile.standbyModules.includes(name)),
    agent: final(fileNames.agent),
    conformanceSuite: conformanceSuitePackage(),
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(partial, manifestFileName), `${JSON.stringify(image, null, 2)}\n`);
  publish(partial, imageDir);
  return image;
}

/**
 * Hard-links the builder's cached kernels into the image (each image would otherwise hold its own
 * 70 MiB), but copies a user's, which they may rebuild in place.
 */
function placeKernelFiles(files: KernelFiles, imageDir: string): void {
  for (const name of ['bzImage', 'vmlinux'] as const) {
    const source = files[name];
    if (source === undefined) continue;
    const destination = path.join(imageDir, fileNames[name]);
    if (files.inCache) linkOrCopy(source, destination);
    else fs.copyFileSync(source, destination);
  }
}

function linkOrCopy(source: string, destination: string): void {
  try {
    fs.linkSync(source, destination);
  } catch {
    fs.copyFileSync(source, destination);
  }
}
