import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors';
import { profilesDir } from './paths';

/** What a guest image is made of, as far as a user may want to vary it: guests/profiles/<name>.json. */
export interface GuestProfile {
  name: string;
  description: string;
  /** A Debian kernel package: a meta package such as linux-image-amd64, or a linux-image-<release> one. */
  kernelPackage: string;
  /** Modules the init loads, by name; the builder adds what they depend on. */
  modules: string[];
  /**
   * Modules in the image that the init does not load, for loading by hand in a `hbadiff.shell` boot:
   * sd_mod is one, because its probe sends TEST UNIT READY and would consume the power-on unit
   * attention that the harness must see.
   */
  standbyModules: string[];
  /** Kernel parameters the image needs, for whoever boots it to append (recorded in the manifest). */
  kernelCmdline: string;
}

const fields = ['description', 'kernelPackage', 'modules', 'standbyModules', 'kernelCmdline'] as const;

function profilePath(name: string): string {
  return path.join(profilesDir, `${name}.json`);
}

export function loadProfile(name: string): GuestProfile {
  const file = profilePath(name);
  if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file)) {
    throw new InputError(`--profile ${name}: no such profile (have: ${listProfiles().join(', ')})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return { name, ...validate(file, parsed) };
}

function listProfiles(): string[] {
  return fs
    .readdirSync(profilesDir)
    .filter((entry) => entry.endsWith('.json'))
    .map((entry) => entry.slice(0, -'.json'.length))
    .sort();
}

function validate(file: string, parsed: unknown): Omit<GuestProfile, 'name'> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${file}: expected a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const unknownField = Object.keys(record).find((key) => !(fields as readonly string[]).includes(key));
  if (unknownField !== undefined) throw new InputError(`${file}: unknown field '${unknownField}'`);
  const { description, kernelPackage, modules, standbyModules = [], kernelCmdline } = record;
  if (typeof description !== 'string') throw new InputError(`${file}: 'description' must be a string`);
  if (typeof kernelPackage !== 'string' || !/^linux-image-[\w.+-]+$/.test(kernelPackage)) {
    throw new InputError(`${file}: 'kernelPackage' must name a linux-image-* package`);
  }
  for (const [field, list] of [['modules', modules], ['standbyModules', standbyModules]] as const) {
    if (!Array.isArray(list) || !list.every((module) => typeof module === 'string' && /^[\w-]+$/.test(module))) {
      throw new InputError(`${file}: '${field}' must be a list of module names`);
    }
  }
  if (typeof kernelCmdline !== 'string') throw new InputError(`${file}: 'kernelCmdline' must be a string`);
  return { description, kernelPackage, modules: modules as string[], standbyModules: standbyModules as string[], kernelCmdline };
}
