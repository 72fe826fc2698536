import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { emptyPolicy } from '../../harness/diff/policy';
import { EnvironmentFault } from '../../harness/errors/environment-fault';
import { FindingsStore } from '../../harness/findings/findings-store';
import { uniformShrinkBudget } from '../../harness/shrink/shrink-finding';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';
import { faultingExecutors, leftoversOf, Made } from '../fixtures/fault-injection';

const topology: Topology = { hbas: [{ model: 'virtio-scsi', disks: ['scsi-hd', 'scsi-block'] }], diskBytes: 1024 * 1024 };
const seed = 20261127;
const faultyCase = 1;

/**
 * The passthrough path's target failing under it is the machine's fault: the campaign stops with an
 * EnvironmentFault naming tgtd, and nothing of the case it spoilt is recorded as QEMU's.
 */
describe('a campaign whose tgtd fails in the middle of a batch', () => {
  let findingsDir: string;
  beforeEach(() => {
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-tgtd-fault-'));
  });
  afterEach(() => rmSync(findingsDir, { recursive: true, force: true }));

  it.each([
    ['killed', 'SIGKILL', /^tgtd \(pid \d+, portal 127\.0\.0\.1:\d+\) exited \(SIGKILL\); the scsi-block paths lost their target$/],
    ['stopped', 'SIGSTOP', /^tgtd \(pid \d+, portal 127\.0\.0\.1:\d+\) is stopped; the scsi-block paths lost their target$/],
  ] as const)('%s: stops with an environment fault and records no finding of that case', async (_, signal, message) => {
    const made: Made = { pids: [], files: [] };
    const guests = new GuestExecutors({ topology, requestTimeoutMs: 10_000 });
    let tgtdPid = 0;
    const executors = faultingExecutors(guests, new Map([[seed + faultyCase, (session) => {
      tgtdPid = session.tgtd?.pid ?? 0;
      process.kill(tgtdPid, signal);
    }]]), made);
    const store = new FindingsStore(findingsDir);
    let failure: unknown;
    try {
      await runCampaign({ seed, timeMs: 600_000, maxCases: 4, policy: emptyPolicy, store, executors, shrink: uniformShrinkBudget(0), generate: caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined) }).catch((error: unknown) => {
        failure = error;
      });
    } finally {
      // A stopped tgtd must run again to be stopped.
      if (signal === 'SIGSTOP' && tgtdPid) process.kill(tgtdPid, 'SIGCONT');
      await executors.close();
    }
    expect(failure).toBeInstanceOf(EnvironmentFault);
    expect((failure as EnvironmentFault).message).toMatch(message);
    expect(leftoversOf(made)).toEqual([]);

    const logged = existsSync(join(findingsDir, 'commands.jsonl'))
      ? readFileSync(join(findingsDir, 'commands.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { case: number }).case)
      : [];
    expect(new Set(logged)).toEqual(new Set([0]));
    const seeds = readdirSync(findingsDir)
      .filter((name) => name !== 'commands.jsonl')
      .map((id) => (JSON.parse(readFileSync(join(findingsDir, id, 'case.json'), 'utf8')) as { provenance: { seed: number } }).provenance.seed);
    expect(seeds).not.toContain(seed + faultyCase);
  }, 300_000);
});
