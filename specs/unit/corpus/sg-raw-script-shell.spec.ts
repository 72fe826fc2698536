import { test } from '@fast-check/jest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCasePaths } from '../../../harness/case/case-paths';
import { Case } from '../../../harness/case/case-types';
import { writeSgRawScript } from '../../../harness/corpus/write-sg-raw-script';
import { guestSideCaseArb } from '../case/case-arbitraries';

/**
 * The scripts under the shells that will run them (busybox sh, as in the guest image, and dash), with
 * sg_raw and sg_reset replaced by recorders on PATH: this host has no SCSI generic device, so what is
 * checked is what each script hands sg3-utils, argument by argument, with the data-out file's bytes.
 * (That the arguments mean the case to sg_raw is its documented usage, checked in docs/corpus-format.md.)
 */
const recorder = `#!/bin/bash
{
  printf '%s' "$(basename "$0")"
  data=
  previous=
  for argument in "$@"; do
    if [ "$previous" = -i ]; then printf '\\tDATA'; data=$argument; else printf '\\t%s' "$argument"; fi
    previous=$argument
  done
  if [ -n "$data" ]; then printf '\\t='; od -An -tx1 -v "$data" | tr -d ' \\n'; fi
  printf '\\n'
} >>"$HBADIFF_RECORD"
`;

const devicesFor = (testCase: Case): string[] => (testCase.paths ?? defaultCasePaths).map((_, index) => `/dev/fake${index}`);

/** What the script must run, from the case: each step on every device in turn, a reset aimed at one path on its device. */
const expectedCalls = (testCase: Case): string[] => {
  const devices = devicesFor(testCase);
  const paths = testCase.paths ?? defaultCasePaths;
  return testCase.steps.flatMap((step) => {
    if (step.kind === 'host') throw new Error('guestSideCaseArb draws no host events');
    if (step.kind === 'reset') {
      const aimed = step.path === undefined ? devices : [devices[paths.indexOf(step.path)]];
      return aimed.map((device) => ['sg_reset', `--${step.reset}`, device].join('\t'));
    }
    const { cdb, direction, length, dataOut } = step.command;
    const options = [
      ...(direction === 'from-device' ? ['-r', String(length)] : []),
      ...(direction === 'to-device' ? ['-s', String(length), '-i', 'DATA'] : []),
      ...(step.timeoutMs === undefined ? [] : ['-t', String(Math.ceil(step.timeoutMs / 1000))]),
    ];
    const bytes = [...cdb].map((byte) => byte.toString(16).padStart(2, '0'));
    return devices.map((device) => ['sg_raw', ...options, device, ...bytes, ...(dataOut ? [`=${dataOut.toString('hex')}`] : [])].join('\t'));
  });
};

describe.each([['busybox', 'sh'], ['dash']])('an sg_raw script under %s', (...shell) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-script-'));
    for (const tool of ['sg_raw', 'sg_reset']) {
      writeFileSync(join(dir, tool), recorder);
      chmodSync(join(dir, tool), 0o755);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (testCase: Case, args: string[], env: Record<string, string> = {}) => {
    const script = join(dir, 'case.sh');
    const record = join(dir, 'record.tsv');
    writeFileSync(script, writeSgRawScript(testCase));
    writeFileSync(record, '');
    const result = spawnSync(shell[0], [...shell.slice(1), script, ...args], {
      env: { PATH: `${dir}:/usr/bin:/bin`, HBADIFF_RECORD: record, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr, calls: readFileSync(record, 'utf8').split('\n').filter((line) => line !== '') };
  };

  test.prop([guestSideCaseArb], { numRuns: 40 })('hands sg_raw and sg_reset each step of the case, data-out included', (testCase) => {
    const result = run(testCase, devicesFor(testCase));
    expect(result.stderr).toBe('');
    expect(result.calls).toEqual(expectedCalls(testCase));
  });

  test.prop([guestSideCaseArb], { numRuns: 5 })('takes the devices from HBADIFF_DEVICES when given none', (testCase) => {
    expect(run(testCase, [], { HBADIFF_DEVICES: devicesFor(testCase).join(' ') }).calls).toEqual(expectedCalls(testCase));
  });

  it('says how to run it, and exits 2, when given no device', () => {
    const result = run({ steps: [{ kind: 'reset', reset: 'host' }] }, []);
    expect([result.status, result.calls]).toEqual([2, []]);
    expect(result.stderr).toMatch(/^usage: .* DEVICE\.\.\. \(one SCSI generic node per path\), or HBADIFF_DEVICES\n$/);
  });
});
