import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../case/parse-case';
import { UserError } from '../errors/user-error';
import { CampaignSummary, CauseRecord, summaryFileName } from './summary';

/** A shard's `summary.json`, or undefined for a directory without one (a campaign that ended before writing it). */
export const readSummary = (directory: string): CampaignSummary | undefined => {
  const file = join(directory, summaryFileName);
  if (!existsSync(file)) return undefined;
  const document = parseJson(readFileSync(file, 'utf8'), file) as Partial<CampaignSummary> | null;
  if (document?.format !== 'hbadiff-summary/1' || !Array.isArray(document.causes)) throw new UserError(`${file}: not an hbadiff-summary/1 document`);
  return document as CampaignSummary;
};

const mergeCause = (first: CauseRecord, other: CauseRecord): CauseRecord => {
  const seen = new Map(first.seenThrough.map((each) => [`${each.scope} ${each.field}`, { ...each }]));
  for (const each of other.seenThrough) {
    const key = `${each.scope} ${each.field}`;
    const known = seen.get(key);
    if (known) known.cases += each.cases;
    else seen.set(key, { ...each });
  }
  const firstSeeds = [first.firstSeed, other.firstSeed].filter((seed): seed is number => seed !== undefined);
  const finding = first.finding ?? other.finding;
  const upstream = { ...other.upstream, ...first.upstream };
  return {
    id: first.id,
    text: first.text,
    subject: first.subject,
    cases: first.cases + other.cases,
    known: first.known && other.known,
    ...(firstSeeds.length > 0 && { firstSeed: Math.min(...firstSeeds) }),
    seenThrough: [...seen.values()].sort((a, b) => b.cases - a.cases || (a.scope < b.scope ? -1 : 1)),
    ...(finding && { finding }),
    ...(Object.keys(upstream).length > 0 && { upstream }),
  };
};

/**
 * The shards of one campaign (one seed, one QEMU) as one summary: their cases and commands added up, each
 * cause once with its cases and sightings summed, the new ones first; elapsed time is the slowest shard's.
 */
export const mergeSummaries = (summaries: readonly { readonly from: string; readonly summary: CampaignSummary }[]): CampaignSummary | undefined => {
  if (summaries.length === 0) return undefined;
  const [{ summary: first }] = summaries;
  for (const { from, summary } of summaries) {
    if (summary.qemuVersion !== first.qemuVersion || summary.seed !== first.seed) {
      throw new UserError(`${from}: a campaign of QEMU ${summary.qemuVersion}, seed ${summary.seed}; ${summaries[0].from} is of QEMU ${first.qemuVersion}, seed ${first.seed}: shards of one campaign only`);
    }
  }
  const causes = new Map<string, CauseRecord>();
  for (const { summary } of summaries) {
    for (const cause of summary.causes) {
      const known = causes.get(cause.id);
      causes.set(cause.id, known ? mergeCause(known, cause) : cause);
    }
  }
  return {
    format: 'hbadiff-summary/1',
    qemuVersion: first.qemuVersion,
    seed: first.seed,
    cases: summaries.reduce((sum, { summary }) => sum + summary.cases, 0),
    commands: summaries.reduce((sum, { summary }) => sum + summary.commands, 0),
    elapsedMs: Math.max(...summaries.map(({ summary }) => summary.elapsedMs)),
    restarts: summaries.reduce((sum, { summary }) => sum + summary.restarts, 0),
    causes: [...causes.values()].sort((a, b) => Number(a.known) - Number(b.known) || b.cases - a.cases),
  };
};
