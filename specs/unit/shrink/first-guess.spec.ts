import { Case } from '../../../harness/case/case-types';
import { onBuild } from '../../../harness/execute/build';
import { CaseRun } from '../../../harness/execute/case-run';
import { PathId } from '../../../harness/qemu/topology';
import { firstGuess } from '../../../harness/shrink/shrink-finding';

const megasas = 'megasas:scsi-hd' as PathId;
const virtio = 'virtio-scsi:scsi-hd' as PathId;
const testCase = {
  format: 'hbadiff-case/1',
  steps: [
    { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 },
    { cdb: '00 00 00 00 00 00', dir: 'none' },
  ],
} as unknown as Case;

/** A run of two builds: each path twice, tagged with the build it ran on. */
const buildPairRun = (failure?: CaseRun['failure']): CaseRun => ({
  case: testCase,
  initialContent: Buffer.alloc(0),
  runs: [megasas, virtio].flatMap((path) =>
    (['baseline', 'patched'] as const).map((build) => ({ path: onBuild(path, build), outcomes: [], disk: undefined })),
  ),
  failure,
});

describe('the first guess at a smaller case, on a run of two builds', () => {
  it('names the diverging path once and untagged, as a case names paths', () => {
    const divergence = { step: 0, field: 'data' as const, paths: [onBuild(megasas, 'baseline'), onBuild(megasas, 'patched')], values: ['a', 'b'] };
    const guess = firstGuess(divergence, buildPairRun());
    expect(guess.paths).toEqual([megasas]);
    expect(guess.steps).toHaveLength(1);
  });

  it('keeps every path of a crash, each once', () => {
    const divergence = { step: 1, field: 'crash' as const, paths: [onBuild(virtio, 'patched')], values: ['signal 6'] };
    expect(firstGuess(divergence, buildPairRun({ kind: 'crash', step: 1, detail: 'signal 6' })).paths).toEqual([megasas, virtio]);
  });
});
