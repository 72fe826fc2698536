import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { InputError } from './errors';
import { run } from './tools';

export interface ModuleSet {
  /** The requested modules that are not built into the kernel, which the init loads. */
  toLoad: string[];
  /** The requested modules the kernel has built in. */
  builtIn: string[];
  /** Module files (relative to the modules directory) of toLoad and everything they depend on. */
  files: string[];
}

/** modprobe's notion of a module's name: the file name without suffixes, with '-' as '_'. */
function moduleName(file: string): string {
  return path.basename(file).replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

/** Resolves requested modules against a modules directory's modules.dep and modules.builtin. */
export function resolveModules(modulesDir: string, requested: readonly string[]): ModuleSet {
  const dependencies = readModulesDep(modulesDir);
  const builtInNames = readBuiltInNames(modulesDir);
  const toLoad: string[] = [];
  const builtIn: string[] = [];
  const files = new Set<string>();
  for (const name of requested.map(moduleName)) {
    const entry = dependencies.get(name);
    if (entry) {
      toLoad.push(name);
      for (const file of [entry.file, ...entry.dependsOn]) files.add(file);
    } else if (builtInNames.has(name)) {
      builtIn.push(name);
    } else {
      throw new InputError(`module ${name}: neither in ${modulesDir}/modules.dep nor built into the kernel`);
    }
  }
  return { toLoad, builtIn, files: [...files].sort() };
}

interface DepEntry {
  file: string;
  /** depmod lists every dependency, not only the direct ones. */
  dependsOn: string[];
}

function readModulesDep(modulesDir: string): Map<string, DepEntry> {
  const depFile = path.join(modulesDir, 'modules.dep');
  if (!fs.existsSync(depFile)) throw new InputError(`${modulesDir}: no modules.dep (run depmod, or pass /lib/modules/<release>)`);
  const entries = new Map<string, DepEntry>();
  for (const line of fs.readFileSync(depFile, 'utf8').split('\n')) {
    const [file, dependsOn] = line.split(':');
    if (dependsOn === undefined) continue;
    entries.set(moduleName(file), { file, dependsOn: dependsOn.split(' ').filter(Boolean) });
  }
  return entries;
}

function readBuiltInNames(modulesDir: string): Set<string> {
  const builtinFile = path.join(modulesDir, 'modules.builtin');
  if (!fs.existsSync(builtinFile)) return new Set();
  return new Set(fs.readFileSync(builtinFile, 'utf8').split('\n').filter(Boolean).map(moduleName));
}

/** The files busybox modprobe reads, besides the modules themselves. */
const modprobeIndexFiles = ['modules.dep', 'modules.alias', 'modules.symbols', 'modules.builtin'];

/**
 * Copies the set's module files, decompressed, into <root>/lib/modules/<release> and runs depmod
 * there, so the image's modules.dep names just those. Returns the files the image needs, relative
 * to root.
 */
export function stageModules(modulesDir: string, release: string, set: ModuleSet, root: string): string[] {
  const stagedDir = path.join(root, 'lib', 'modules', release);
  const stagedFiles = set.files.map((file) => {
    const staged = file.replace(/\.ko\.(xz|zst|gz)$/, '.ko');
    fs.mkdirSync(path.dirname(path.join(stagedDir, staged)), { recursive: true });
    writeDecompressed(path.join(modulesDir, file), path.join(stagedDir, staged));
    return staged;
  });
  for (const index of ['modules.builtin', 'modules.order']) {
    const source = path.join(modulesDir, index);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(stagedDir, index));
  }
  run('depmod', ['-b', root, release]);
  return [...stagedFiles, ...modprobeIndexFiles]
    .filter((file) => fs.existsSync(path.join(stagedDir, file)))
    .map((file) => path.join('lib', 'modules', release, file));
}

function writeDecompressed(source: string, destination: string): void {
  if (source.endsWith('.gz')) {
    fs.writeFileSync(destination, zlib.gunzipSync(fs.readFileSync(source)));
    return;
  }
  const decompressor = source.endsWith('.xz') ? 'xz' : source.endsWith('.zst') ? 'zstd' : undefined;
  if (decompressor === undefined) {
    fs.copyFileSync(source, destination);
    return;
  }
  const out = fs.openSync(destination, 'w');
  try {
    run(decompressor, ['--decompress', '--stdout', source], { stdoutFd: out });
  } finally {
    fs.closeSync(out);
  }
}
