import { changedRows, conformanceTable, pairDifferences, rowDiffers, rowFails } from '../../../harness/conformance/conformance-table';
import { PathConformance } from '../../../harness/conformance/conformance-on-path';
import { hostScsiTests, runsOf, selectSuites } from '../../../harness/conformance/suite-catalog';
import { Verdict } from '../../../harness/conformance/verdict';
import { PathId } from '../../../harness/qemu/topology';

const onPath = (path: string, verdicts: Record<string, Verdict>): PathConformance => ({
  path: path as PathId,
  records: Object.entries(verdicts).map(([test, verdict]) => ({ test, verdict, notes: [], commands: [] })),
  wallMs: 0,
  bootMs: 0,
  restarts: 0,
  log: '',
});

const hd = 'megasas:scsi-hd' as PathId;
const block = 'megasas:scsi-block' as PathId;
const virtio = 'virtio-scsi:scsi-hd' as PathId;

describe('the table of tests × paths', () => {
  const table = conformanceTable('7.2.22', [
    onPath(hd, { 'Inquiry.Standard': 'pass', 'Read10.Simple': 'fail', 'Unmap.Simple': 'fail', 'Write10.Async': 'skip' }),
    onPath(block, { 'Inquiry.Standard': 'pass', 'Read10.Simple': 'fail', 'Unmap.Simple': 'skip', 'Write10.Async': 'skip' }),
    onPath(virtio, { 'Inquiry.Standard': 'pass', 'Read10.Simple': 'fail', 'Unmap.Simple': 'pass' }),
  ]);

  it('puts the rows that differ first, then those failing everywhere, then the rest, each in the suite order', () => {
    expect(table.rows.map((row) => row.test)).toEqual(['Unmap.Simple', 'Write10.Async', 'Read10.Simple', 'Inquiry.Standard']);
    expect(table.rows.map(rowDiffers)).toEqual([true, true, false, false]);
    expect(table.rows.map(rowFails)).toEqual([true, true, true, false]);
  });

  it('counts a test a path never reported as an error there', () => {
    expect(table.rows[1].verdicts[virtio]).toBe('error');
  });

  it('counts the tests each pair of paths answers differently', () => {
    expect(pairDifferences(table).map((each) => [each.pair.join(' vs '), each.tests])).toEqual([
      [`${hd} vs ${block}`, 1],
      [`${hd} vs ${virtio}`, 2],
      [`${block} vs ${virtio}`, 2],
    ]);
  });

  it("names the rows whose verdict changed on a path both tables have, and no others, in the new table's order", () => {
    const after = conformanceTable('7.2.22', [
      onPath(hd, { 'Inquiry.Standard': 'pass', 'Read10.Simple': 'pass', 'Unmap.Simple': 'fail', 'New.Test': 'fail' }),
      onPath(block, { 'Inquiry.Standard': 'fail', 'Read10.Simple': 'fail', 'Unmap.Simple': 'skip', 'New.Test': 'fail' }),
    ]);
    expect(changedRows(table, after)).toEqual([
      { test: 'Inquiry.Standard', paths: [{ path: block, before: 'pass', after: 'fail' }] },
      { test: 'Read10.Simple', paths: [{ path: hd, before: 'fail', after: 'pass' }] },
    ]);
  });
});

describe("iscsi-test-cu's test list", () => {
  it("is the SCSI family's 215 tests as Suite.Test, from the host's iscsi-test-cu", () => {
    const tests = hostScsiTests();
    expect(tests).toHaveLength(215);
    expect(tests).toEqual(expect.arrayContaining(['Read10.Simple', 'Read10.Async', 'MultipathIO.Simple', 'TestUnitReady.Simple']));
    expect(tests.filter((test) => test.split('.').length !== 2)).toEqual([]);
  });

  it('runs a suite whole when every test of it is chosen, else each chosen test on its own', () => {
    const selections = selectSuites(['Read10.Simple', 'Read10.Async', 'Unmap.Simple'], (test) => test !== 'Read10.Async');
    expect(selections.flatMap(runsOf)).toEqual(['--test=SCSI.Read10.Simple', '--test=SCSI.Unmap']);
  });
});
