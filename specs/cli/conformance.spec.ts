import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConformanceBaseline } from '../../harness/conformance/conformance-baseline';
import { hostScsiTests } from '../../harness/conformance/suite-catalog';
import { ConformanceReport } from '../../harness/conformance/conformance-report';
import { rowStandsOut } from '../../harness/conformance/conformance-table';
import { loadCase } from '../../harness/case/load-case';
import { defaultTopology, layoutTopology } from '../../harness/qemu/topology';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

/**
 * The tests npm test runs: 60 tests of 13 suites, 21 of whose rows differ between the default paths on
 * Debian's 7.2.22 (megasas's TEST UNIT READY without a data direction, its refused long transfers, MODE
 * SENSE's control page, UNMAP and WRITE SAME through tgtd) and 17 of which fail on some path, with the
 * INQUIRY, READ and WRITE tests that pass everywhere. About 40 s.
 */
const subset = '^(TestUnitReady|Inquiry|ReadCapacity10|ReadCapacity16|ModeSense6|Read6|Read10|Write10|Unmap|WriteSame10|Prefetch10|StartStopUnit|PreventAllow)\\.';

/**
 * `hbadiff conformance` on every default path against baselines/conformance/<version>.json: libiscsi's
 * iscsi-test-cu really runs in each path's guest, and a row whose verdict changed fails the run (exit 1).
 * Every failing or differing row must come out as a case that replays on every path.
 */
describe('hbadiff conformance on the default paths, against the baseline table', () => {
  let out: string;
  let run: SpawnSyncReturns<string>;
  let report: ConformanceReport;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'hbadiff-conformance-'));
    run = spawnSync(hbadiff, ['conformance', '--tests', subset, '--out', out], { encoding: 'utf8', timeout: 360_000 });
    report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
  }, 420_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('exits 0: no row changed against the baseline of this QEMU version', () => {
    expect({ status: run.status, changed: report.changed?.rows, stderr: run.stderr.slice(-1500) }).toEqual({ status: 0, changed: [], stderr: expect.any(String) });
    expect(report.changed?.against).toMatch(/baselines\/conformance\/[\w.]+\.json$/);
  });

  it('has a verdict for every chosen test on every default path, each from the suite itself', () => {
    const paths = layoutTopology(defaultTopology).map((layout) => layout.path);
    expect(report.table.paths).toEqual(paths);
    const chosen = hostScsiTests().filter((test) => new RegExp(subset).test(test));
    expect(chosen.length).toBeGreaterThan(20);
    expect(report.table.rows.map((row) => row.test).sort()).toEqual(chosen.sort());
    expect(loadConformanceBaseline(report.table.qemuVersion)?.rows.filter((row) => chosen.includes(row.test)).length).toBe(chosen.length);
    for (const row of report.table.rows) expect(Object.keys(row.verdicts)).toEqual(paths);
    expect(report.table.rows.flatMap((row) => Object.values(row.verdicts)).filter((verdict) => verdict === 'error')).toEqual([]);
  });

  it('makes a case of every failing or differing row that sent commands, and replays it on every path', async () => {
    const rows = report.table.rows.filter(rowStandsOut);
    expect(rows.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      const testCase = await loadCase(join(out, finding.caseFile));
      expect(testCase.paths).toEqual(report.table.paths);
      expect(testCase.steps.length).toBe(finding.steps);
    }
    const withoutCase = rows.filter((row) => !report.findings.some((finding) => finding.test === row.test));
    // A row without a case is one whose test sent nothing on any path (it judged what the suite learnt at its start).
    for (const row of withoutCase) expect(report.decoded.find((decoded) => decoded.test === row.test)?.commandCounts).toEqual(Object.fromEntries(report.table.paths.map((path) => [path, 0])));
    const causes = report.findings.flatMap((finding) => finding.causes.filter((cause) => !cause.known).map((cause) => `${finding.test}: ${cause.id} ${cause.text}`));
    if (causes.length > 0) console.log(`causes the campaign's baseline does not know, from the conformance cases:\n${causes.join('\n')}`);
  });

  it('writes the Markdown table, the JUnit report and the suite logs', () => {
    const markdown = readFileSync(join(out, 'conformance.md'), 'utf8');
    expect(markdown).toContain('## Tests × paths');
    expect(markdown).toContain('| TestUnitReady.Simple');
    expect(readFileSync(join(out, 'conformance.junit.xml'), 'utf8')).toContain('<testsuite name="libiscsi SCSI on megasas:scsi-hd');
    expect(readFileSync(join(out, 'logs', `${report.table.qemuVersion}-megasas_scsi-hd.log`), 'latin1')).toMatch(/^ {2}Test: Simple \.\.\./m);
    expect(existsSync(join(out, 'cases'))).toBe(true);
  });
});
