import fs from 'node:fs';
import path from 'node:path';
import { conformanceSuiteInImage, sgioLogInImage } from '../harness/guest/image';
import { sgioLogSource } from './paths';
import { SetupError } from './errors';
import { isStaticElf } from './elf';
import type { InitramfsTree } from './initramfs-tree';
import { findTool, run } from './tools';

/** busybox-static, with a symbolic link for every applet: the init's tools and a debugging shell. */
export function addBusybox(tree: InitramfsTree): void {
  const busybox = findTool('busybox');
  if (!isStaticElf(fs.readFileSync(busybox))) {
    throw new SetupError(`${busybox} is not statically linked: install the Debian package busybox-static`);
  }
  tree.addHostFile('bin/busybox', busybox);
  for (const applet of run('busybox', ['--list-full']).split('\n').filter(Boolean)) {
    if (applet !== 'bin/busybox') tree.addSymlink(applet, '/bin/busybox');
  }
}

/** The sg3-utils commands for sending SCSI commands by hand, with their shared libraries. */
const sgCommands = ['sg_inq', 'sg_raw'] as const;

export function addSgUtils(tree: InitramfsTree): void {
  for (const command of sgCommands) {
    const hostPath = findTool(command);
    tree.addHostFile(`usr/bin/${command}`, hostPath);
    for (const library of sharedLibraries(hostPath)) tree.addHostFile(library, library);
  }
}

/**
 * libiscsi's conformance suite with its libraries, and the library that logs each SG_IO it sends, compiled
 * against the same libc: `hbadiff conformance` runs the one under the other.
 */
export function addConformanceSuite(tree: InitramfsTree, stagingDir: string): void {
  const suite = findTool('iscsi-test-cu');
  tree.addHostFile(conformanceSuiteInImage.slice(1), suite);
  for (const library of sharedLibraries(suite)) tree.addHostFile(library, library);
  const sgioLog = path.join(stagingDir, path.basename(sgioLogInImage));
  run('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o', sgioLog, sgioLogSource, '-ldl']);
  tree.addHostFile(sgioLogInImage.slice(1), sgioLog);
}

/** The absolute paths ldd resolves an executable's libraries and dynamic loader to. */
function sharedLibraries(executable: string): string[] {
  return run('ldd', [executable])
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)?.[1])
    .filter((library): library is string => library !== undefined);
}
