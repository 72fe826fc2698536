import fs from 'node:fs';
import path from 'node:path';
import type { KernelPackage } from './apt-resolution';
import { createPartialDir, publish } from './atomic-dir';
import { extractPvhElf } from './bzimage';
import { SetupError } from './errors';
import { cacheDir } from './paths';
import { run } from './tools';

export function debFileName(kernel: KernelPackage): string {
  return `${kernel.name}_${kernel.version.replace(':', '%3a')}_${kernel.architecture}.deb`;
}

/** Downloads the package into the cache unless it is there; returns the .deb's path. */
export function downloadKernelPackage(kernel: KernelPackage): { deb: string; downloaded: boolean } {
  const deb = path.join(cacheDir, debFileName(kernel));
  if (fs.existsSync(deb)) return { deb, downloaded: false };
  const partial = createPartialDir(deb);
  // As root, apt drops to the _apt user to download, which cannot write here.
  const sandboxOption = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
  run('apt-get', ['download', '-qq', ...sandboxOption, `${kernel.name}=${kernel.version}`], { cwd: partial });
  const downloaded = fs.readdirSync(partial).filter((entry) => entry.endsWith('.deb'));
  if (downloaded.length !== 1) {
    throw new SetupError(`apt-get download ${kernel.name}=${kernel.version} left ${downloaded.length} .deb files`);
  }
  fs.renameSync(path.join(partial, downloaded[0]), deb);
  fs.rmSync(partial, { recursive: true });
  return { deb, downloaded: true };
}

interface UnpackedKernel {
  root: string;
  bzImage: string;
  /** The ELF kernel extracted from the bzImage, which QEMU boots by PVH. */
  vmlinux: string;
  /** /lib/modules/<release> of the unpacked package, with a modules.dep made by depmod. */
  modulesDir: string;
}

/**
 * Unpacks the package into the cache (never onto the host), runs depmod on it there and extracts
 * the ELF kernel, once per package.
 */
export function unpackKernelPackage(kernel: KernelPackage, deb: string): UnpackedKernel & { unpacked: boolean } {
  const root = deb.replace(/\.deb$/, '');
  const unpacked = unpackedLayout(root, kernel.release);
  if (fs.existsSync(root)) return { ...unpacked, unpacked: false };
  const partial = createPartialDir(root);
  const inPartial = unpackedLayout(partial, kernel.release);
  run('dpkg-deb', ['-x', deb, partial]);
  for (const expected of [inPartial.bzImage, inPartial.modulesDir]) {
    if (!fs.existsSync(expected)) throw new SetupError(`${deb} has no ${path.relative(partial, expected)}`);
  }
  run('depmod', ['-b', partial, kernel.release]);
  extractPvhElf(inPartial.bzImage, inPartial.vmlinux);
  publish(partial, root);
  return { ...unpacked, unpacked: true };
}

function unpackedLayout(root: string, release: string): UnpackedKernel {
  return {
    root,
    bzImage: path.join(root, 'boot', `vmlinuz-${release}`),
    vmlinux: path.join(root, 'boot', `vmlinux-${release}`),
    modulesDir: path.join(root, 'lib', 'modules', release),
  };
}
