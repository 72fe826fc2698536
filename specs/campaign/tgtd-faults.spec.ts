import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignProgress, runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { emptyPolicy } from '../../harness/diff/policy';
import { FindingsStore } from '../../harness/findings/findings-store';
import { uniformShrinkBudget } from '../../harness/shrink/shrink-finding';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';
import { faultingExecutors, leftoversOf, Made } from '../fixtures/fault-injection';

const topology: Topology = { hbas: [{ model: 'virtio-scsi', disks: ['scsi-hd', 'scsi-block'] }], diskBytes: 1024 * 1024 };
const seed = 20261127;
const faultyCase = 1;

/**
 * The passthrough path's target failing under it is a finding about the target, not a fault of the machine:
 * the campaign keeps the case as a finding named after tgt and its version (never QEMU), starts a fresh guest
 * and tgtd, and goes on to its last case.
 */
describe('a campaign whose tgtd fails in the middle of a batch', () => {
  let findingsDir: string;
  beforeEach(() => {
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-tgtd-fault-'));
  });
  afterEach(() => rmSync(findingsDir, { recursive: true, force: true }));

  it.each([
    ['killed', 'SIGKILL', /^target:tgt \d+\.\d+\.\d+:SIGKILL$/, /exited \(SIGKILL\); the scsi-block paths lost their target/],
    ['stopped', 'SIGSTOP', /^target:tgt \d+\.\d+\.\d+:stopped$/, /is stopped; the scsi-block paths lost their target/],
  ] as const)('%s: keeps the case as a finding about the target, restarts it, and runs every case', async (_, signal, cause, detail) => {
    const made: Made = { pids: [], files: [], starts: [] };
    const guests = new GuestExecutors({ topology, requestTimeoutMs: 10_000 });
    const executors = faultingExecutors(guests, new Map([[seed + faultyCase, (session) => void process.kill(session.tgtd?.pid ?? 0, signal)]]), made);
    const store = new FindingsStore(findingsDir);
    let progress: CampaignProgress;
    try {
      progress = await runCampaign({ seed, timeMs: 600_000, maxCases: 4, policy: emptyPolicy, store, executors: [executors], shrink: uniformShrinkBudget(0), generate: caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined) });
    } finally {
      await executors.close();
    }
    expect(progress.cases).toBe(4);
    expect(progress.restarts).toBeGreaterThanOrEqual(1);
    expect(leftoversOf(made)).toEqual([]);

    const targetFindings = [...progress.tallies.values()].filter((tally) => tally.signature.text.startsWith('target:'));
    expect(targetFindings.map((tally) => [tally.signature.text, tally.firstSeed])).toEqual([[expect.stringMatching(cause), seed + faultyCase]]);
    const kept = JSON.parse(readFileSync(join(findingsDir, targetFindings[0].signature.id, 'case.json'), 'utf8')) as { provenance: { seed: number } };
    expect(kept.provenance.seed).toBe(seed + faultyCase);
    expect(readFileSync(join(findingsDir, targetFindings[0].signature.id, 'report.md'), 'utf8')).toMatch(detail);
    const logged = readFileSync(join(findingsDir, 'commands.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { case: number });
    // Every other case ran and was logged, those after the failure on a fresh guest and tgtd. (What the case tgtd
    // failed in logged depends on whether its commands reached the target before QEMU answered them itself.)
    expect(new Set(logged.filter((line) => line.case !== faultyCase).map((line) => line.case))).toEqual(new Set([0, 2, 3]));
  }, 300_000);
});
