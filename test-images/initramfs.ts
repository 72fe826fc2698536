import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { agentPathInImage } from './agent';
import { newcArchive } from './cpio';
import { InitramfsTree } from './initramfs-tree';
import { logStep } from './log';
import { type ModuleSet, resolveModules, stageModules } from './modules';
import { initScript } from './paths';
import { addBusybox, addConformanceSuite, addSgUtils } from './userland';

export interface InitramfsInputs {
  modulesDir: string;
  release: string;
  requestedModules: readonly string[];
  /** In the image, not loaded by the init. */
  standbyModules: readonly string[];
  agentBinary: string;
  /** A scratch directory for depmod to work in. */
  stagingDir: string;
}

/** Writes the guest's gzip'd initramfs; returns the modules it holds. */
export function writeInitramfs(file: string, inputs: InitramfsInputs): ModuleSet {
  const tree = new InitramfsTree();
  const modules = addModules(tree, inputs);
  addBusybox(tree);
  addSgUtils(tree);
  addConformanceSuite(tree, inputs.stagingDir);
  logStep('added busybox and its applets, sg_inq, sg_raw and iscsi-test-cu with their libraries, the SG_IO log');
  tree.addHostFile(agentPathInImage, inputs.agentBinary);
  addInit(tree, modules.toLoad.filter((name) => !inputs.standbyModules.includes(name)));

  const entries = tree.sortedEntries();
  const archive = newcArchive(entries);
  const compressed = zlib.gzipSync(archive, { level: 9 });
  fs.writeFileSync(file, compressed);
  const sizes = `${mib(archive.length)} MiB, ${mib(compressed.length)} MiB gzip'd`;
  logStep(`wrote ${path.basename(file)}: ${entries.length} entries, ${sizes}`);
  return modules;
}

function addModules(tree: InitramfsTree, inputs: InitramfsInputs): ModuleSet {
  const modules = resolveModules(inputs.modulesDir, [...inputs.requestedModules, ...inputs.standbyModules]);
  for (const file of stageModules(inputs.modulesDir, inputs.release, modules, inputs.stagingDir)) {
    tree.addHostFile(file, path.join(inputs.stagingDir, file));
  }
  const dependencies = modules.files.length - modules.toLoad.length;
  const builtIn = modules.builtIn.length > 0 ? `; built in: ${modules.builtIn.join(' ')}` : '';
  logStep(`added modules: ${modules.toLoad.length} requested, ${dependencies} they depend on${builtIn}`);
  return modules;
}

function addInit(tree: InitramfsTree, modulesToLoad: string[]): void {
  tree.addHostFile('init', initScript);
  tree.addFile('etc/hbadiff/modules', Buffer.from(modulesToLoad.map((name) => `${name}\n`).join('')), 0o644);
  // The kernel opens the init's standard streams on /dev/console, before the init mounts devtmpfs.
  tree.addCharacterDevice('dev/console', 5, 1);
  for (const directory of ['proc', 'sys', 'root']) tree.addDirectory(directory);
  tree.addDirectory('tmp', 0o1777);
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}
