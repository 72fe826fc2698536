import { CampaignProgress, SignatureTally } from '../../../harness/campaign/campaign';
import { junitReport } from '../../../harness/findings/junit-report';
import { campaignSummary } from '../../../harness/findings/summary';
import { signature } from '../../../harness/findings/signature';

const tally = (text: string, count: number, seen: Record<string, number>, firstSeed = 7): SignatureTally => ({
  signature: signature(text),
  count,
  firstSeed,
  seenThrough: new Map(Object.entries(seen)),
});

const known = tally('*:result:via megasas_iovec_sgl_overflow', 12, { '00 status': 5, '16 status': 4, 'unknown sense': 3 });
const fresh = tally('35:result:model~scsi-hd:lba-out-of-range|GOOD', 2, { '35 status': 2 });
const target = tally('target:tgt 1.0.85:SIGSEGV', 1, { '1a target': 1 });
const progress: CampaignProgress = {
  cases: 20,
  commands: 400,
  elapsedMs: 300_000,
  restarts: 1,
  shrinkRuns: 9,
  tallies: new Map([known, fresh, target].map((each) => [each.signature.id, each])),
};

describe('the summary of a campaign, by cause', () => {
  const summary = campaignSummary(progress, {
    qemuVersion: '7.2.22',
    seed: 7,
    known: new Set([known.signature.id]),
    written: (id) => id !== known.signature.id,
    upstream: (id) => (id === known.signature.id ? { '10.0.13': 'reproduces' } : undefined),
  });

  it('lists every cause once, new ones first, with what it was seen through, whose it is and what newer QEMU says', () => {
    expect(summary.causes.map((cause) => [cause.text, cause.subject, cause.known, cause.cases])).toEqual([
      [fresh.signature.text, 'qemu', false, 2],
      [target.signature.text, 'target', false, 1],
      [known.signature.text, 'qemu', true, 12],
    ]);
    expect(summary.causes[2].seenThrough).toEqual([
      { scope: '00', field: 'status', cases: 5 },
      { scope: '16', field: 'status', cases: 4 },
      { scope: 'unknown', field: 'sense', cases: 3 },
    ]);
    expect(summary.causes[2]).toMatchObject({ upstream: { '10.0.13': 'reproduces' } });
    expect(summary.causes[2].finding).toBeUndefined();
    expect(summary.causes[0].finding).toBe(fresh.signature.id);
  });

  it('is JUnit with one test case per cause, failed when the baseline does not know it', () => {
    const xml = junitReport(summary);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('classname="hbadiff.target"');
    expect(xml).toContain(`new cause ${fresh.signature.id}, first seen with seed 7`);
  });
});
