import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, release } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../errors/user-error';
import { Accelerator } from '../qemu/cmdline';

export type AcceleratorChoice = Accelerator | 'auto';

export const parseAcceleratorChoice = (value: string, origin: string): AcceleratorChoice => {
  if (value === 'auto' || value === 'kvm' || value === 'tcg') return value;
  throw new UserError(`${origin}: accelerator must be auto, kvm or tcg, not ${JSON.stringify(value)}`);
};

const kvmOpens = (): boolean => {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

const probeCachePath = (): string =>
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hbadiff', 'kvm-probe.json');

type ProbeCache = Record<string, boolean>;

const readCache = (): ProbeCache => {
  try {
    return JSON.parse(readFileSync(probeCachePath(), 'utf8')) as ProbeCache;
  } catch {
    return {};
  }
};

/**
 * `auto` uses KVM only where a short known-good boot under KVM has worked: on some hosts /dev/kvm opens
 * but the guest hangs or QEMU dies on an internal KVM error. The verdict is kept per QEMU build, guest
 * image and host kernel, so the probe's cost is paid once.
 */
export const chooseAccelerator = async (
  choice: AcceleratorChoice,
  probeKey: string,
  bootsUnderKvm: () => Promise<boolean>,
): Promise<Accelerator> => {
  if (choice !== 'auto') return choice;
  if (!kvmOpens()) return 'tcg';
  const key = `${probeKey} host=${release()}`;
  const cache = readCache();
  if (cache[key] === undefined) {
    cache[key] = await bootsUnderKvm();
    mkdirSync(dirname(probeCachePath()), { recursive: true });
    writeFileSync(probeCachePath(), JSON.stringify(cache, null, 2));
  }
  return cache[key] ? 'kvm' : 'tcg';
};
