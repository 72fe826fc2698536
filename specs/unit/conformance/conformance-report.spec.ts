import { conformanceJunit, conformanceMarkdown, ConformanceReport, summaryLines } from '../../../harness/conformance/conformance-report';
import { conformanceTable } from '../../../harness/conformance/conformance-table';
import { PathId } from '../../../harness/qemu/topology';

const hd = 'megasas:scsi-hd' as PathId;
const virtio = 'virtio-scsi:scsi-hd' as PathId;
const known = { id: 'aaaaaaaaaaaa', text: '*:result:via megasas_iovec_sgl_overflow', known: true };
const fresh = { id: 'bbbbbbbbbbbb', text: '8f:result:model~scsi-hd:miscompare|CHECK CONDITION 5/24/00', known: false };

const report: ConformanceReport = {
  table: conformanceTable('7.2.22', [
    { path: hd, wallMs: 60_000, bootMs: 3_000, restarts: 0, log: '', records: [
      { test: 'TestUnitReady.Simple', verdict: 'fail', notes: ['[FAILED] TESTUNITREADY | failed'], commands: [] },
      { test: 'Verify16.Simple', verdict: 'fail', notes: [], commands: [] },
      { test: 'Inquiry.Standard', verdict: 'pass', notes: [], commands: [] },
    ] },
    { path: virtio, wallMs: 50_000, bootMs: 3_000, restarts: 1, log: '', records: [
      { test: 'TestUnitReady.Simple', verdict: 'pass', notes: [], commands: [] },
      { test: 'Verify16.Simple', verdict: 'skip', notes: ['[SKIPPED] VERIFY16 is not implemented.'], commands: [] },
      { test: 'Inquiry.Standard', verdict: 'pass', notes: [], commands: [] },
    ] },
  ]),
  suite: 'libiscsi-bin 1.19.0-3 iscsi-test-cu',
  guestKernel: '6.1.0-57-amd64',
  perPath: [
    { path: hd, wallMs: 60_000, bootMs: 3_000, restarts: 0, counts: { pass: 1, fail: 2, skip: 0, 'n/a': 0, error: 0 } },
    { path: virtio, wallMs: 50_000, bootMs: 3_000, restarts: 1, counts: { pass: 2, fail: 0, skip: 1, 'n/a': 0, error: 0 } },
  ],
  decoded: [],
  findings: [
    { test: 'TestUnitReady.Simple', from: hd, caseFile: 'cases/TestUnitReady.Simple.json', steps: 1, causes: [known] },
    { test: 'Verify16.Simple', from: hd, caseFile: 'cases/Verify16.Simple.json', steps: 40, causes: [known, fresh] },
  ],
  changed: { against: 'baselines/conformance/7.2.22.json', rows: [{ test: 'Verify16.Simple', paths: [{ path: virtio, before: 'pass', after: 'skip' }] }] },
};

describe('the conformance report', () => {
  it('says per path, per pair, per cause and per changed row what a reader needs first', () => {
    const lines = summaryLines(report);
    expect(lines).toContain('  megasas:scsi-hd vs virtio-scsi:scsi-hd: 2 test(s) differ');
    expect(lines).toContain('the cases of 2 row(s), replayed on every path, show 2 cause(s): 1 known to the baseline, 1 new');
    // each cause once, with every row whose case shows it, new causes first
    const causes = lines.filter((line) => /^ {2}(NEW|known) /.test(line));
    expect(causes).toEqual([`  NEW ${fresh.id} ${fresh.text}: Verify16.Simple`, `  known ${known.id} ${known.text}: TestUnitReady.Simple, Verify16.Simple`]);
    expect(lines).toContain('  Verify16.Simple: virtio-scsi:scsi-hd pass → skip');
  });

  it('writes a Markdown table whose cells cannot break it, and JUnit with a failure, a skip and a pass', () => {
    const markdown = conformanceMarkdown(report);
    expect(markdown).toMatch(/^\| TestUnitReady\.Simple +\| FAIL +\| pass +\| cases\/TestUnitReady\.Simple\.json +\| aaaaaaaaaaaa +\|$/m);
    expect(markdown).toContain('`[FAILED] TESTUNITREADY | failed`');
    const junit = conformanceJunit(report);
    expect(junit.match(/<testcase /g)).toHaveLength(6);
    expect(junit.match(/<failure/g)).toHaveLength(2);
    expect(junit.match(/<skipped/g)).toHaveLength(1);
  });
});
