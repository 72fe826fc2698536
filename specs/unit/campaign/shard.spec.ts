import { fc, test } from '@fast-check/jest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignJournal } from '../../../harness/campaign/campaign-journal';
import { CampaignPlan } from '../../../harness/campaign/campaign-plan';
import { loadCampaign } from '../../../harness/campaign/load-campaign';
import { parseShard, Shard, shardCaseCount, shardItems, shardSeed } from '../../../harness/campaign/shard';
import { UserError } from '../../../harness/errors/user-error';

const shardsOf = (count: number): Shard[] => Array.from({ length: count }, (_, index) => ({ index: index + 1, count }));
const seedArb = fc.nat({ max: 2 ** 31 });
const countArb = fc.integer({ min: 1, max: 9 });

describe('sharding a campaign', () => {
  test.prop([seedArb, countArb, fc.nat({ max: 200 })])(
    "gives the shards of a counted campaign the unsharded campaign's seeds, each once",
    (seed, count, cases) => {
      const seeds = shardsOf(count).flatMap((shard) =>
        Array.from({ length: shardCaseCount(cases, shard) }, (_, k) => shardSeed(seed, shard, k)),
      );
      expect(seeds.sort((a, b) => a - b)).toEqual(Array.from({ length: cases }, (_, k) => seed + k));
    },
  );

  test.prop([seedArb, countArb, fc.nat({ max: 50 })])('never gives two shards the same seed, however long each runs', (seed, count, k) => {
    const seeds = shardsOf(count).map((shard) => shardSeed(seed, shard, k));
    expect(new Set(seeds).size).toBe(count);
    expect(Math.min(...seeds)).toBe(seed + k * count);
  });

  it('leaves the seeds alone without a shard', () => {
    expect([0, 1, 2].map((k) => shardSeed(7, undefined, k))).toEqual([7, 8, 9]);
    expect([0, 1, 2].map((k) => shardSeed(7, { index: 2, count: 3 }, k))).toEqual([8, 11, 14]);
  });

  test.prop([fc.array(fc.nat(), { maxLength: 30 }), countArb])('splits a corpus into disjoint parts that make it up again', (items, count) => {
    const parts = shardsOf(count).map((shard) => shardItems(items.map((value, position) => ({ value, position })), shard));
    const positions = parts.flat().map((item) => item.position);
    expect(positions.sort((a, b) => a - b)).toEqual(items.map((_, position) => position));
  });

  it.each([['1/1', 1, 1], ['2/4', 2, 4], [' 3/3 ', 3, 3]])('reads %s', (text, index, count) => {
    expect(parseShard(text, '--shard')).toEqual({ index, count });
  });

  it.each(['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2'])('refuses %s with one line naming the flag', (text) => {
    expect(() => parseShard(text, '--shard')).toThrow(new UserError(`--shard: "${text}" is not i/n with 1 <= i <= n (e.g. 2/4)`));
  });

  it('is kept in the campaign file, so that --resume goes on with the same shard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbadiff-shard-'));
    try {
      const plan: CampaignPlan = { seed: 7, policy: '/policy.json', timeMs: 60_000, maxCases: 4, shard: { index: 2, count: 3 } };
      CampaignJournal.begin(dir, plan);
      expect(loadCampaign(dir).plan).toEqual(plan);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
