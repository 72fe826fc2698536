import { SetupError } from './errors';
import { run } from './tools';

/** Host packages whose files end up in the image: busybox, sg_inq and sg_raw, libiscsi's test suite, libc, the compiler. */
const imagePackages = ['busybox-static', 'sg3-utils', 'libiscsi-bin', 'libiscsi7', 'libcunit1', 'libc6', 'libc6-dev', 'gcc'];

/** The package the image's iscsi-test-cu comes from, with its version: `libiscsi-bin 1.19.0-3`. */
export function conformanceSuitePackage(): string {
  const installed = hostPackageVersions().find((entry) => entry.startsWith('libiscsi-bin='));
  if (installed === undefined) throw new SetupError('libiscsi-bin is not among the image packages');
  return installed.replace('=', ' ');
}

/** "<package>=<version>" of each package the image takes files from; fails if one is missing. */
export function hostPackageVersions(): string[] {
  const notFound = 1;
  const output = run('dpkg-query', ['--show', '--showformat=${Package} ${db:Status-Abbrev} ${Version}\\n', ...imagePackages], {
    allowedStatuses: [0, notFound],
  });
  const installed = new Map<string, string>();
  for (const match of output.matchAll(/^(\S+) ii\s+(\S+)$/gm)) installed.set(match[1], match[2]);
  return imagePackages.map((name) => {
    const version = installed.get(name);
    if (version === undefined) throw new SetupError(`missing package ${name}: install it with apt-get install ${name}`);
    return `${name}=${version}`;
  });
}
