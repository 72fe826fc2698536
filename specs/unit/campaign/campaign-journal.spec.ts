import { fc, test } from '@fast-check/jest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignProgress, SignatureTally } from '../../../harness/campaign/campaign';
import { CampaignJournal } from '../../../harness/campaign/campaign-journal';
import { CampaignPlan, journalFileName } from '../../../harness/campaign/campaign-plan';
import { loadCampaign, parseJournal, parsePlan } from '../../../harness/campaign/load-campaign';
import { UserError } from '../../../harness/errors/user-error';
import { PathId } from '../../../harness/qemu/topology';
import { describeLoaderFuzz, expectValueOrOneLine, mutate, mutationArb } from '../fuzz/loader-fuzz';

const plan: CampaignPlan = {
  seed: 7,
  paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'] as PathId[],
  policy: '/policy.json',
  timeMs: 300_000,
  maxCases: 10,
};

/** The progress a campaign reports after each case, for a run in which case k found signatures `found[k]`. */
const progressAfterEach = (found: readonly (readonly string[])[]): CampaignProgress[] => {
  const tallies = new Map<string, SignatureTally>();
  return found.map((ids, index) => {
    for (const id of ids) {
      const tally = tallies.get(id);
      if (tally) {
        tally.count++;
        tally.seenThrough.set('00 status', tally.count);
      } else tallies.set(id, { signature: { id, text: `text of ${id}` }, count: 1, firstSeed: plan.seed + index, seenThrough: new Map([[`00 status`, 1]]) });
    }
    return { cases: index + 1, commands: 0, elapsedMs: 100 * (index + 1), tallies: new Map([...tallies].map(([id, t]) => [id, { ...t, seenThrough: new Map(t.seenThrough) }])), restarts: 0, shrinkRuns: 0 };
  });
};

const foundArb = fc.array(fc.array(fc.constantFrom('aaa', 'bbb', 'ccc', 'ddd'), { maxLength: 5 }), { maxLength: 8 });

describe('the campaign journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.prop([foundArb])('reads back where the campaign got to: the next case, the tallies and the time', (found) => {
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-journal-'));
    const journal = CampaignJournal.begin(dir, plan);
    const progress = progressAfterEach(found);
    for (const now of progress) journal.record(now);
    const loaded = loadCampaign(dir);
    expect(loaded.plan).toEqual(plan);
    expect(loaded.resume.cases).toBe(found.length);
    expect(loaded.resume.elapsedMs).toBe(progress.at(-1)?.elapsedMs ?? 0);
    expect(loaded.resume.tallies).toEqual(progress.at(-1)?.tallies ?? new Map());
  });

  it('goes on after a line torn by a kill, which it cuts off, and counts the next case from there', () => {
    const [first, second, third] = progressAfterEach([['aaa'], ['aaa', 'bbb'], ['bbb']]);
    const journal = CampaignJournal.begin(dir, plan);
    journal.record(first);
    journal.record(second);
    appendFileSync(join(dir, journalFileName), '{"case":2,"elapsedMs":3');
    const loaded = loadCampaign(dir);
    expect(loaded.resume.cases).toBe(2);
    CampaignJournal.resume(dir, loaded).record(third);
    const again = loadCampaign(dir);
    expect(again.resume.cases).toBe(3);
    expect(again.resume.tallies.get('bbb')?.count).toBe(2);
    expect(readFileSync(join(dir, journalFileName), 'utf8').split('\n')).toHaveLength(4);
  });

  it('refuses to begin a second campaign in a directory that holds one', () => {
    CampaignJournal.begin(dir, plan);
    expect(() => CampaignJournal.begin(dir, plan)).toThrow(new UserError(`${dir}: holds a campaign already; continue it with --resume ${dir}, or name another --findings directory`));
  });

  it('names the directory that holds no campaign', () => {
    expect(() => loadCampaign(dir)).toThrow(new UserError(`${join(dir, 'campaign.json')}: cannot read the campaign: ENOENT`));
    writeFileSync(join(dir, 'campaign.json'), '{"format":"hbadiff-campaign/1","seed":1,"policy":"p","timeMs":1000,"paths":["megasas:scsi-hd","nope:scsi-hd"]}');
    expect(() => loadCampaign(dir)).toThrow(/campaign\.json: paths\[1\]: unknown HBA "nope"; known: megasas/);
  });
});

const validPlanText = fc
  .record({ seed: fc.nat(), timeMs: fc.integer({ min: 1 }), maxCases: fc.option(fc.integer({ min: 1 }), { nil: undefined }) })
  .map((fields) => JSON.stringify({ format: 'hbadiff-campaign/1', ...fields, policy: '/p.json', paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-block'] }));

describeLoaderFuzz('parsePlan', {
  source: 'campaign.json',
  parse: parsePlan,
  validText: validPlanText,
  fieldNames: ['format', 'seed', 'paths', 'policy', 'timeMs', 'maxCases'],
  awkwardValues: ['hbadiff-campaign/1', 'megasas:scsi-hd', 'megasas:scsi-hd#2', 2 ** 31, -0],
});

const journalLoader = {
  source: 'cases.jsonl',
  parse: (text: string, source: string) => parseJournal(text, source, 7),
};
const journalFields = ['case', 'elapsedMs', 'counts', 'first'];

/** A journal as CampaignJournal writes it, as lines of JSON. */
const validJournalLinesArb = foundArb.map((found) => {
  const dir = mkdtempSync(join(tmpdir(), 'hbadiff-journal-'));
  try {
    const journal = CampaignJournal.begin(dir, plan);
    for (const now of progressAfterEach(found)) journal.record(now);
    return readFileSync(join(dir, journalFileName), { encoding: 'utf8', flag: 'a+' }).split('\n').filter((line) => line !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('parseJournal on hostile input returns where the campaign got to or throws one line', () => {
  test.prop([fc.array(fc.jsonValue(), { maxLength: 4 })])('lines of any JSON', (values) => {
    expectValueOrOneLine(journalLoader, values.map((value) => `${JSON.stringify(value)}\n`).join(''));
  });

  test.prop([validJournalLinesArb, fc.nat(), fc.array(mutationArb(journalFields, ['aaa', 'text']), { minLength: 1, maxLength: 3 })])(
    'a journal with a few fields of one line changed, removed or added',
    (lines, at, mutations) => {
      if (lines.length === 0) return;
      const line = JSON.parse(lines[at % lines.length]) as unknown;
      for (const mutation of mutations) mutate(line, mutation);
      const changed = lines.map((text, index) => (index === at % lines.length ? JSON.stringify(line) : text));
      expectValueOrOneLine(journalLoader, changed.map((text) => `${text}\n`).join(''));
    },
  );

  test.prop([validJournalLinesArb, fc.nat(), fc.nat(), fc.string({ maxLength: 3 })])(
    'a journal with text cut out, spliced in or cut short',
    (lines, at, removed, inserted) => {
      const text = lines.map((line) => `${line}\n`).join('');
      const cut = at % (text.length + 1);
      expectValueOrOneLine(journalLoader, text.slice(0, cut) + inserted + text.slice(cut + (removed % 4)));
      expectValueOrOneLine(journalLoader, text.slice(0, cut));
    },
  );
});
