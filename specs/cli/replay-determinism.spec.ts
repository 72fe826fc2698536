import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Baseline } from '../../harness/baseline/baseline';
import { loadBaselineFor } from '../../harness/baseline/load-baseline';
import { locateQemu, probeQemu } from '../../harness/qemu/binary';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');
const runs = 10;

interface ReplayReport {
  readonly verdict: string;
  readonly divergences: readonly { case: string }[];
  readonly cases: readonly { file: string; verdict: string; signatures: readonly { id: string }[]; divergences: readonly object[] }[];
}

/**
 * A finding is only worth its file if the file alone shows it every time: the campaign findings kept in the
 * baseline of the QEMU under test replay ten times in a row, each from a fresh guest, to the same
 * signature and the same report.
 */
describe('a campaign finding replayed from its file', () => {
  let baseline: Baseline;

  beforeAll(async () => {
    baseline = await loadBaselineFor((await probeQemu(locateQemu(undefined))).version);
  });

  it(`shows its signature ${runs} times out of ${runs}, with identical reports`, () => {
    // The first entry in the baseline's order that is a difference, not a crash or hang (which cost a reboot or a timeout).
    const entry = baseline.entries.find((each) => !/^(crash|hang):/.test(each.text));
    expect(entry).toBeDefined();
    const file = join(baseline.file, '..', entry!.caseFile);
    const replay = spawnSync(hbadiff, ['replay', '--json', ...Array.from({ length: runs }, () => file)], { encoding: 'utf8', timeout: 600_000 });
    expect(replay.status).toBe(1);
    const report = JSON.parse(replay.stdout) as ReplayReport;
    expect(report.cases.map((each) => each.signatures.some((signature) => signature.id === entry!.signature))).toEqual(Array(runs).fill(true));
    expect(new Set(report.cases.map((each) => JSON.stringify(each.divergences))).size).toBe(1);
  }, 600_000);
});
