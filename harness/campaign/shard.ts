import { UserError } from '../errors/user-error';

/**
 * Runner `index` (1-based) of `count` that share one campaign's seed space: `hbadiff run --shard index/count`.
 * Case k of shard i/n uses seed + k*n + (i-1), so the shards together run the unsharded campaign's cases, each once.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `i/n` with 1 <= i <= n. */
export const parseShard = (text: string, flag: string): Shard => {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UserError(`${flag}: "${text}" is not i/n with 1 <= i <= n (e.g. 2/4)`);
  }
  return { index, count };
};

/** The seed of generated case k; without a shard, seed + k. */
export const shardSeed = (seed: number, shard: Shard | undefined, k: number): number =>
  shard === undefined ? seed + k : seed + k * shard.count + (shard.index - 1);

/** How many of the campaign's first `cases` cases fall to this shard. */
export const shardCaseCount = (cases: number, shard: Shard): number => Math.max(0, Math.ceil((cases - (shard.index - 1)) / shard.count));

/** This shard's part of a list run in order (a corpus): every n-th item, from the i-th. */
export const shardItems = <T>(items: readonly T[], shard: Shard): T[] => items.filter((_, k) => k % shard.count === shard.index - 1);

export const describeShard = (shard: Shard): string => `shard ${shard.index}/${shard.count}`;
