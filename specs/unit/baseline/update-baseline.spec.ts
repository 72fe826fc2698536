import { Baseline } from '../../../harness/baseline/baseline';
import { updateBaseline } from '../../../harness/baseline/update-baseline';
import { parseCase } from '../../../harness/case/parse-case';

const caseOf = (steps: number) =>
  parseCase(JSON.stringify({ format: 'hbadiff-case/1', steps: Array.from({ length: steps }, () => ({ cdb: '00 00 00 00 00 00', dir: 'none' })) }), 'case.json');

const empty: Baseline = { file: 'baselines/7.2.22.json', qemuVersion: '7.2.22', entries: [] };

describe('updateBaseline', () => {
  it('adds a signature that several findings directories hold once, with the smallest of their cases', () => {
    const found = [
      { signature: 'aaaaaaaaaaaa', text: '00:status:megasas~virtio-scsi:CHECK CONDITION|GOOD', case: caseOf(3) },
      { signature: 'aaaaaaaaaaaa', text: '00:status:megasas~virtio-scsi:CHECK CONDITION|GOOD', case: caseOf(1) },
      { signature: 'aaaaaaaaaaaa', text: '00:status:megasas~virtio-scsi:CHECK CONDITION|GOOD', case: caseOf(2) },
    ];
    const changes = updateBaseline(empty, found, new Set(['aaaaaaaaaaaa']), { reproduced: [], fixed: [] });
    expect(changes.entries.map((entry) => [entry.signature, entry.case.steps.length])).toEqual([['aaaaaaaaaaaa', 1]]);
    expect(changes.added).toHaveLength(1);
  });
});
