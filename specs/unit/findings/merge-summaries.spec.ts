import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../harness/errors/user-error';
import { mergeFindings } from '../../../harness/findings/merge-findings';
import { CampaignSummary, CauseRecord } from '../../../harness/findings/summary';

const cause = (id: string, cases: number, known: boolean, seen: [string, number][], extra: Partial<CauseRecord> = {}): CauseRecord => ({
  id,
  text: `cause ${id}`,
  subject: 'qemu',
  cases,
  known,
  seenThrough: seen.map(([scope, count]) => ({ scope, field: 'sense', cases: count })),
  ...extra,
});

const summary = (cases: number, causes: CauseRecord[], seed = 7): CampaignSummary => ({
  format: 'hbadiff-summary/1',
  qemuVersion: '7.2.22',
  seed,
  cases,
  commands: cases * 10,
  elapsedMs: cases * 100,
  restarts: 1,
  causes,
});

/** CI's last job: the shards' summaries become the campaign's, each cause once with what every shard saw of it. */
describe('merging the shards of one campaign', () => {
  let root: string;
  const shard = (name: string, content: CampaignSummary): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(content));
    return dir;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hbadiff-merge-summary-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('adds up cases and sightings per cause, keeps the earliest seed and puts new causes first', () => {
    const a = shard('a', summary(10, [cause('aaaaaaaaaaaa', 3, true, [['28', 2], ['2a', 1]]), cause('bbbbbbbbbbbb', 1, false, [['12', 1]], { firstSeed: 9 })]));
    const b = shard('b', summary(12, [cause('aaaaaaaaaaaa', 4, true, [['28', 4]]), cause('bbbbbbbbbbbb', 2, false, [['12', 2]], { firstSeed: 8 })]));
    const merged = mergeFindings(join(root, 'out'), [a, b]).summary;
    expect(merged).toMatchObject({ cases: 22, commands: 220, elapsedMs: 1200, restarts: 2 });
    expect(merged?.causes.map((each) => [each.id, each.cases, each.known, each.firstSeed])).toEqual([
      ['bbbbbbbbbbbb', 3, false, 8],
      ['aaaaaaaaaaaa', 7, true, undefined],
    ]);
    expect(merged?.causes[1].seenThrough).toEqual([
      { scope: '28', field: 'sense', cases: 6 },
      { scope: '2a', field: 'sense', cases: 1 },
    ]);
    expect(JSON.parse(readFileSync(join(root, 'out', 'summary.json'), 'utf8'))).toEqual(merged);
  });

  it('refuses shards of two campaigns', () => {
    const a = shard('a', summary(1, [], 7));
    const b = shard('b', summary(1, [], 8));
    expect(() => mergeFindings(join(root, 'out'), [a, b])).toThrow(UserError);
  });
});
