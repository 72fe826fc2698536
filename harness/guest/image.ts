import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentFault } from '../errors/environment-fault';

/** A built guest image: the manifest.json that test-images/build.ts writes next to its files. */
export interface GuestImage {
  /** sha256 over every input of the build; also the name of the image's directory. */
  key: string;
  profile: string;
  /** The guest's uname -r. */
  kernelRelease: string;
  /** Absolute path of the kernel to boot: the PVH ELF when there is one (about twice as fast to boot under TCG). */
  kernel: string;
  kernelFormat: 'pvh-elf' | 'bzimage';
  /** The bzImage; absent when the image was built from a user's ELF vmlinux. */
  bzImage?: string;
  initrd: string;
  /** Kernel parameters the image needs, to append to the command line. */
  kernelCmdline: string;
  /** The modules the init loads before it starts the agent. */
  modules: string[];
  /** The agent (/sbin/hbadiff-agent in the guest); statically linked, so it runs on the host too. */
  agent: string;
  /** The conformance suite in the image, as reports name it: its Debian package and version, e.g. `libiscsi-bin 1.19.0-3`. */
  conformanceSuite: string;
  createdAt: string;
}

export const manifestFileName = 'manifest.json';

/** libiscsi's SCSI conformance suite in the guest, with the libraries it needs (Debian's libiscsi-bin). */
export const conformanceSuiteInImage = '/usr/bin/iscsi-test-cu';
/** The LD_PRELOAD library that writes a line per SG_IO its program sends (guests/sgio-log). */
export const sgioLogInImage = '/usr/lib/hbadiff/sgio-log.so';

export function imagesOutDir(repoRoot: string): string {
  return path.join(repoRoot, 'test-images', 'out');
}

/** The image's files that do not exist (any, once the repository has moved: the paths are absolute). */
export function missingImageFiles(image: GuestImage): string[] {
  return [image.kernel, image.bzImage, image.initrd, image.agent].filter(
    (file): file is string => file !== undefined && !fs.existsSync(file),
  );
}

const defaultRepoRoot = path.resolve(__dirname, '..', '..');
const buildHint = 'run `npm run images` to build the guest image';

/** The image test-images/out/current.json names; throws, saying how to build it, if it is absent. */
export function findGuestImage(repoRoot: string = defaultRepoRoot): GuestImage {
  const outDir = imagesOutDir(repoRoot);
  const current = readJson<{ key: string }>(path.join(outDir, 'current.json'));
  if (!current) throw new EnvironmentFault(`no guest image: ${path.join(outDir, 'current.json')} is missing; ${buildHint}`);
  const manifestPath = path.join(outDir, current.key, manifestFileName);
  const image = readJson<GuestImage>(manifestPath);
  if (!image) throw new EnvironmentFault(`guest image ${current.key}: ${manifestPath} is missing or unreadable; ${buildHint}`);
  const missing = missingImageFiles(image);
  if (missing.length > 0) throw new EnvironmentFault(`guest image ${current.key}: missing ${missing.join(', ')}; ${buildHint}`);
  return image;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The kernel parameters the image's profile asks whoever boots it to add. */
export const imageKernelArgs = (image: GuestImage): string[] => image.kernelCmdline.split(/\s+/).filter((word) => word !== '');
