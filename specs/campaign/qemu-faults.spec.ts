import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCase } from '../../harness/case/parse-case';
import { serializeCase } from '../../harness/case/serialize-case';
import { runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { emptyPolicy } from '../../harness/diff/policy';
import { FindingsStore } from '../../harness/findings/findings-store';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';
import { Fault, faultingExecutors, firstBatchOf, leftoversOf, Made } from '../fixtures/fault-injection';

const topology: Topology = {
  hbas: [
    { model: 'virtio-scsi', disks: ['scsi-hd'] },
    { model: 'virtio-scsi', disks: ['scsi-hd'] },
  ],
  diskBytes: 1024 * 1024,
};
const seed = 20261126;
const generate = caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined);

/** Case number → the fault and the signature text it must be kept under. */
const faults = new Map<number, { fault: Fault; signature: RegExp; evidence: RegExp }>([
  [1, { fault: (session) => session.machine.kill('SIGKILL'), signature: /^crash:killed by signal 9$/, evidence: /QEMU was killed by signal 9 while the harness was talking to the guest; its last output:\n/ }],
  [3, { fault: (session) => session.machine.kill('SIGABRT'), signature: /^crash:killed by signal 6$/, evidence: /QEMU was killed by signal 6 while the harness was talking to the guest; its last output:\n/ }],
  // A stopped QEMU answers nothing, as a guest stuck in SG_IO would. It is stopped at once (a QMP `stop` would
  // come too late: the virtio port answers a batch of small commands within milliseconds), so nor does QMP.
  [5, { fault: (session) => session.machine.kill('SIGSTOP'), signature: /^hang:/, evidence: /request \d+ got no reply within 10000 ms;[^]*QEMU's run state: QMP did not answer/ }],
]);

/**
 * QEMU dying by SIGKILL and SIGABRT in the middle of a batch, and the guest stopping in the middle of
 * another: each is kept as a finding of its own class with the step in flight, the case up to it and
 * QEMU's last words, and the campaign goes on with a fresh guest (the booted one's saved state, resumed)
 * to the end of its budget.
 */
describe('a campaign whose QEMU is killed and whose guest hangs', () => {
  let findingsDir: string;
  beforeAll(() => {
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-faults-'));
  });
  afterAll(() => rmSync(findingsDir, { recursive: true, force: true }));

  it('keeps a crash or hang finding for each fault, restarts the guest, finishes its cases and leaves nothing behind', async () => {
    const made: Made = { pids: [], files: [], starts: [] };
    const guests = new GuestExecutors({ topology, requestTimeoutMs: 10_000 });
    const executors = faultingExecutors(guests, new Map([...faults].map(([at, { fault }]) => [seed + at, fault])), made);
    let progress;
    try {
      progress = await runCampaign({ seed, timeMs: 600_000, maxCases: 7, policy: emptyPolicy, store: new FindingsStore(findingsDir), executors: [executors], generate });
    } finally {
      await executors.close();
    }
    expect(progress.cases).toBe(7);
    expect(progress.restarts).toBe(faults.size);
    // Every guest after the first is the first one's saved state resumed, not a boot: the crashes and the hang did not reach it.
    expect(made.starts).toEqual(['boot', ...Array.from({ length: faults.size }, () => 'resume')]);
    expect(leftoversOf(made)).toEqual([]);

    const kept = readdirSync(findingsDir).filter((name) => name !== 'commands.jsonl');
    for (const [at, { signature, evidence }] of faults) {
      const id = [...progress.tallies.values()].find((tally) => signature.test(tally.signature.text) && tally.firstSeed === seed + at)?.signature.id;
      expect(id).toBeDefined();
      expect(kept).toContain(id);
      const found = parseCase(readFileSync(join(findingsDir, id as string, 'case.json'), 'utf8'), 'case.json');
      const sent = generate(seed + at);
      // The case ends at the last step of the batch that was in flight, and replays as it was sent.
      expect(serializeCase({ ...found, provenance: {} })).toBe(serializeCase({ ...sent, steps: firstBatchOf(sent), provenance: {} }));
      expect(found.provenance?.seed).toBe(seed + at);
      expect(readFileSync(join(findingsDir, id as string, 'report.md'), 'utf8')).toMatch(evidence);
    }
  }, 600_000);
});
