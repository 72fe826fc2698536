import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeAgainstBaseline } from '../../harness/baseline/baseline';
import { loadBaselineFor } from '../../harness/baseline/load-baseline';
import { runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { defaultPolicyFile, loadPolicy } from '../../harness/diff/load-policy';
import { FindingsStore } from '../../harness/findings/findings-store';
import { findGuestImage } from '../../harness/guest/image';
import { modelOracles } from '../../harness/model/model-judge';
import { locateQemu, probeQemu } from '../../harness/qemu/binary';
import { pathsOfHbas } from '../../harness/qemu/hba/hba-selection';
import { hbaDrivers, hbaEmulations as emulations } from '../../harness/qemu/hba/registry';
import { onDefaultTopology, topologyOfPaths } from '../../harness/session/case-topology';
import { blockBytes } from '../../harness/session/disk-content';

const seed = 20261203;
const cases = 3;

/**
 * What `npm test` asks of every HBA before a patch to hw/scsi/ goes out: `hbadiff run --hbas all --disks
 * scsi-hd` on a fixed seed, each HBA's disk enumerated by its own guest driver, finds nothing the QEMU
 * version's baseline does not know, and says which of the baseline's entries of this topology it did not see
 * again (the baseline spec replays the default topology's; `hbadiff baseline update` replays these too).
 */
describe('a short campaign through every HBA (--hbas all --disks scsi-hd)', () => {
  let findingsDir: string;
  beforeAll(() => {
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-every-hba-'));
  });
  afterAll(() => rmSync(findingsDir, { recursive: true, force: true }));

  it(`brings up every HBA of the registry and finds no cause the baseline does not know in ${cases} cases`, async () => {
    const qemu = await probeQemu(locateQemu(undefined));
    const baseline = await loadBaselineFor(qemu.version);
    const leftOut: string[] = [];
    const paths = pathsOfHbas('all', 'scsi-hd', qemu, findGuestImage(), (line) => leftOut.push(line));
    expect(leftOut).toEqual([]);
    expect(paths.length).toBe(emulations.length);
    const topology = topologyOfPaths(paths);
    const driverOf = new Map(hbaDrivers.map((driver) => [`${driver.model}:scsi-hd`, driver.guestDriver]));
    const found: string[][][] = [];
    const executors = new GuestExecutors({ topology }, (session) => found.push(session.paths.map((path) => [path.id, path.device.driver])));
    let progress;
    try {
      progress = await runCampaign({
        seed,
        timeMs: 600_000,
        maxCases: cases,
        policy: loadPolicy(defaultPolicyFile),
        store: new FindingsStore(findingsDir),
        executors: [executors],
        known: new Set(baseline.entries.map((entry) => entry.signature)),
        oracles: () => modelOracles(true),
        generate: caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined),
      });
    } finally {
      await executors.close();
    }
    // Each path's disk found behind the guest driver of its own HBA (a guest that misses one fails to start).
    expect(found[0]).toEqual(paths.map((path) => [path, driverOf.get(path)]));
    const verdict = judgeAgainstBaseline(baseline, progress.tallies.keys());
    // The baseline's entries of this topology that these cases did not show again: fixed, or seen by other seeds.
    const wide = baseline.entries.filter((entry) => !onDefaultTopology(entry.case));
    const unseen = wide.filter((entry) => !progress?.tallies.has(entry.signature)).map((entry) => `${entry.signature} ${entry.text}`);
    process.stdout.write(`every-HBA campaign: ${progress.cases} cases, ${progress.tallies.size} causes, ${verdict.known.length} known, ${verdict.unknown.length} new; of the baseline's ${wide.length} entries of this topology, not seen: ${unseen.join('; ') || 'none'}\n`);
    expect(progress.cases).toBe(cases);
    expect(verdict.unknown.map((id) => ({ cause: progress.tallies.get(id)?.signature.text, report: readFileSync(join(findingsDir, id, 'report.md'), 'utf8') }))).toEqual([]);
  }, 900_000);
});
