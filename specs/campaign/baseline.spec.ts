import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline, judgeAgainstBaseline } from '../../harness/baseline/baseline';
import { loadBaselineFor } from '../../harness/baseline/load-baseline';
import { replayBaseline } from '../../harness/baseline/replay-baseline';
import { CampaignProgress, runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { defaultPolicyFile, loadPolicy } from '../../harness/diff/load-policy';
import { runJudge } from '../../harness/diff/run-judge';
import { modelOracles } from '../../harness/model/model-judge';
import { ExecutorPerTopology } from '../../harness/execute/executor-per-topology';
import { FindingsStore } from '../../harness/findings/findings-store';
import { locateQemu, probeQemu } from '../../harness/qemu/binary';
import { defaultTopology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';
import { onDefaultTopology } from '../../harness/session/case-topology';

/**
 * What `npm test` asks of a QEMU before a patch goes out: the differential campaign on the default topology,
 * with the reference model judging every path too, finds nothing its version's baseline does not already
 * know, and every known divergence is checked again from its case, so that a patch that fixes one shows up
 * as good news. The seed is fixed so that a red run
 * repeats; `hbadiff run` explores beyond it.
 */
const seed = 20261125;
const cases = 25;

describe('the differential campaign against the baseline of the QEMU under test', () => {
  const policy = loadPolicy(defaultPolicyFile);
  let baseline: Baseline;
  let findingsDir: string;
  let progress: CampaignProgress;

  beforeAll(async () => {
    const qemu = await probeQemu(locateQemu(undefined));
    baseline = await loadBaselineFor(qemu.version);
    if (!existsSync(baseline.file)) {
      throw new Error(`no baseline for QEMU ${qemu.version} (${qemu.path}): write one with \`npm start -- baseline update\` and review it`);
    }
    findingsDir = mkdtempSync(join(tmpdir(), 'hbadiff-baseline-spec-'));
  });

  afterAll(() => rmSync(findingsDir, { recursive: true, force: true }));

  it(`finds no signature, of the paths or of the model, that the baseline does not know in ${cases} cases`, async () => {
    const executors = new GuestExecutors({});
    try {
      progress = await runCampaign({
        seed,
        timeMs: 600_000,
        maxCases: cases,
        policy,
        store: new FindingsStore(findingsDir),
        executors: [executors],
        known: new Set(baseline.entries.map((entry) => entry.signature)),
        oracles: () => modelOracles(true),
        generate: caseGenerator({ blocks: defaultTopology.diskBytes / blockBytes, blockBytes }, undefined),
      });
    } finally {
      await executors.close();
    }
    const verdict = judgeAgainstBaseline(baseline, progress.tallies.keys());
    process.stdout.write(`baseline campaign: ${progress.cases} cases, ${progress.tallies.size} signatures, ${verdict.known.length} known, ${verdict.unknown.length} new\n`);
    const newFindings = verdict.unknown.map((id) => ({
      signature: progress.tallies.get(id)?.signature.text,
      report: readFileSync(join(findingsDir, id, 'report.md'), 'utf8'),
    }));
    expect(progress.cases).toBe(cases);
    expect(newFindings).toEqual([]);
  }, 900_000);

  // The every-HBA topology's entries are the every-HBA campaign's (specs/campaign/every-hba.spec.ts): its cases
  // wait out the HBAs that never complete a command, minutes that its own campaign already spends seeing them.
  it("replays every case of the default topology's entries: those the campaign saw still show their signature, the rest are reported if fixed", async () => {
    const executor = new ExecutorPerTopology((topology) => new GuestExecutors({ topology }));
    const onDefault = { ...baseline, entries: baseline.entries.filter((entry) => onDefaultTopology(entry.case)) };
    try {
      const replay = await replayBaseline(onDefault, executor, runJudge(policy, modelOracles(true)));
      const fixed = replay.fixed.map((entry) => `${entry.signature} ${entry.text}`);
      process.stdout.write(`baseline replay: ${replay.reproduced.length} of the default topology's ${onDefault.entries.length} still diverge${fixed.length ? `; fixed: ${fixed.join('; ')}` : ''}\n`);
      const seenByCampaign = new Set(progress?.tallies.keys() ?? []);
      expect(replay.fixed.filter((entry) => seenByCampaign.has(entry.signature)).map((entry) => entry.text)).toEqual([]);
      expect(onDefault.entries.length).toBeGreaterThan(0);
      expect(replay.reproduced.length + replay.fixed.length).toBe(onDefault.entries.length);
    } finally {
      await executor.close();
    }
  }, 900_000);

  it('keeps every entry readable: a reason a person wrote, and a case of at most three steps', () => {
    expect(baseline.entries.filter((entry) => entry.case.steps.length > 3 || /^unexplained/.test(entry.reason)).map((entry) => entry.text)).toEqual([]);
  });
});
