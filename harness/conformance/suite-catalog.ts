import { spawnSync } from 'node:child_process';
import { EnvironmentFault } from '../errors/environment-fault';
import { UserError } from '../errors/user-error';

/** The family of iscsi-test-cu's tests that speaks plain SCSI to one LUN: ALL adds iSCSI's, LINUX is a subset. */
export const SCSI_FAMILY = 'SCSI';

/** iscsi-test-cu's own names for what to run: a whole suite, or one of its tests. */
export type SuiteSelection = { readonly suite: string; readonly tests: readonly string[]; readonly whole: boolean };

/** `Suite.Test` for each test of the SCSI family, in the suite's order, from `iscsi-test-cu --list`. */
const scsiTestsOf = (listing: string): string[] =>
  listing
    .split('\n')
    .map((line) => line.trim().split('.'))
    .filter((parts) => parts.length === 3 && parts[0] === SCSI_FAMILY)
    .map(([, suite, test]) => `${suite}.${test}`);

/** The chosen tests by suite, each suite whole when every test of it is chosen, so that it runs in one go. */
export const selectSuites = (all: readonly string[], chosen: (test: string) => boolean): SuiteSelection[] => {
  const suites = new Map<string, { tests: string[]; total: number }>();
  for (const test of all) {
    const suite = test.slice(0, test.indexOf('.'));
    const entry = suites.get(suite) ?? { tests: [], total: 0 };
    entry.total++;
    if (chosen(test)) entry.tests.push(test);
    suites.set(suite, entry);
  }
  return [...suites]
    .filter(([, entry]) => entry.tests.length > 0)
    .map(([suite, entry]) => ({ suite, tests: entry.tests, whole: entry.tests.length === entry.total }));
};

/** The --test argument of each run a selection takes (the program takes one): the suite, or each chosen test of it. */
export const runsOf = (selection: SuiteSelection): string[] =>
  selection.whole ? [`--test=${SCSI_FAMILY}.${selection.suite}`] : selection.tests.map((test) => `--test=${SCSI_FAMILY}.${test}`);

/**
 * The SCSI family's tests, from the host's iscsi-test-cu: the image takes its copy from the same Debian
 * package (test-images/host-packages.ts), so the lists are one, and a --tests that matches nothing is
 * refused before any guest boots.
 */
export const hostScsiTests = (): string[] => {
  const listing = spawnSync('iscsi-test-cu', ['--list'], { encoding: 'latin1' });
  if (listing.error || listing.status !== 0) {
    throw new EnvironmentFault(`iscsi-test-cu --list: ${listing.error?.message ?? `exit ${listing.status}`}; install the Debian package libiscsi-bin (npm test's bootstrap does)`);
  }
  return scsiTestsOf(listing.stdout);
};

/** The tests whose Suite.Test name matches `--tests` (absent: all); a user's mistake in one line. */
export const chosenTests = (all: readonly string[], pattern: string | undefined): string[] => {
  if (pattern === undefined) return [...all];
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new UserError(`--tests ${pattern}: not a regular expression (${(error as Error).message})`);
  }
  const chosen = all.filter((test) => regex.test(test));
  if (chosen.length === 0) throw new UserError(`--tests ${pattern}: matches none of the SCSI family's ${all.length} tests (iscsi-test-cu --list)`);
  return chosen;
};
