import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { emptyPolicy } from '../../harness/diff/policy';
import { FindingsStore } from '../../harness/findings/findings-store';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';

/**
 * The engine's control experiment: two scsi-hd disks on two virtio-scsi HBAs are the same path twice, so
 * a campaign between them must find nothing at all, with no policy to hide behind. Anything it finds is a
 * false positive of the harness (state leaking between cases, a restore that missed, a non-deterministic
 * comparison), not of QEMU.
 */
describe('a campaign between two identical paths', () => {
  const topology: Topology = {
    hbas: [
      { model: 'virtio-scsi', disks: ['scsi-hd'] },
      { model: 'virtio-scsi', disks: ['scsi-hd'] },
    ],
    diskBytes: 8 * 1024 * 1024,
  };
  let findingsDir: string;

  beforeAll(() => {
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-identical-'));
  });

  afterAll(() => rmSync(findingsDir, { recursive: true, force: true }));

  it('finds no divergence over many generated cases', async () => {
    const executors = new GuestExecutors({ topology });
    const store = new FindingsStore(findingsDir);
    try {
      const progress = await runCampaign({
        seed: 20261125,
        timeMs: 150_000,
        maxCases: 300,
        policy: emptyPolicy,
        store,
        executors: [executors],
        generate: caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined),
      });
      expect(progress.cases).toBeGreaterThanOrEqual(50);
      const reports = [...progress.tallies.keys()].map((id) => readFileSync(join(findingsDir, id, 'report.md'), 'utf8'));
      expect({ signatures: [...progress.tallies.values()].map((tally) => tally.signature.text), reports }).toEqual({ signatures: [], reports: [] });
      expect(readdirSync(findingsDir)).toEqual(['commands.jsonl']);
    } finally {
      await executors.close();
    }
  }, 240_000);
});
