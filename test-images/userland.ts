import fs from 'node:fs';
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

/** The absolute paths ldd resolves an executable's libraries and dynamic loader to. */
function sharedLibraries(executable: string): string[] {
  return run('ldd', [executable])
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)?.[1])
    .filter((library): library is string => library !== undefined);
}
