import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseProblem } from '../case/case-problem';
import { parseJson } from '../case/parse-case';
import { checkCasePaths } from '../case/case-paths';
import { checkSchema, schemaCompiler } from '../case/schema-check';
import { UserError } from '../errors/user-error';
import { PathId } from '../qemu/topology';
import { CampaignResume, SignatureTally } from './campaign';
import { CampaignPlan, JournalEntry, journalFileName, planFileName } from './campaign-plan';
import campaignSchema from './campaign-schema.json';
import { Shard, shardSeed } from './shard';
import journalEntrySchema from './journal-entry-schema.json';

/** An interrupted campaign as its findings directory tells it. */
export interface LoadedCampaign {
  readonly plan: CampaignPlan;
  readonly resume: CampaignResume;
  /** The journal's length in bytes up to its last complete line. */
  readonly journalBytes: number;
}

const validatePlan = schemaCompiler.compile<CampaignPlan & { format: string }>(campaignSchema);
const validateEntry = schemaCompiler.compile<JournalEntry>(journalEntrySchema);

const checkedIn = <T>(source: string, check: () => T): T => {
  try {
    return check();
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(source);
    throw error;
  }
};

/** A plan's paths, as a case's: any HBA's (a `--hbas` campaign), each once. */
const checkPaths = (paths: readonly string[] | undefined): void => {
  if (!paths) return;
  checkCasePaths(paths);
  paths.forEach((path, index) => {
    if (paths.indexOf(path) !== index) throw new CaseProblem(['paths', index], 'named twice');
  });
};

export const parsePlan = (text: string, source: string): CampaignPlan => {
  const document = parseJson(text, source);
  return checkedIn(source, () => {
    const { seed, paths, policy, timeMs, maxCases, shard } = checkSchema(validatePlan, document);
    checkPaths(paths);
    if (shard !== undefined && shard.index > shard.count) throw new CaseProblem(['shard', 'index'], `is over the shard count ${shard.count}`);
    return { seed, paths: paths as readonly PathId[] | undefined, policy, timeMs, maxCases, ...(shard && { shard }) };
  });
};

/** Folds the journal's lines into where the campaign got to; a last line without its newline was torn by a kill and is left out. */
export const parseJournal = (text: string, source: string, seed: number, shard?: Shard): Omit<LoadedCampaign, 'plan'> => {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete === '' ? [] : complete.slice(0, -1).split('\n');
  const tallies = new Map<string, SignatureTally>();
  let elapsedMs = 0;
  lines.forEach((line, index) => {
    const where = `${source} (line ${index + 1})`;
    const entry = checkedIn(where, () => checkSchema(validateEntry, parseJson(line, where)));
    if (entry.case !== index) throw new UserError(`${where}: case ${entry.case} where case ${index} was due`);
    for (const [id, signatureText] of Object.entries(entry.first)) {
      if (tallies.has(id)) throw new UserError(`${where}: signature ${id} was seen first in an earlier case`);
      tallies.set(id, { signature: { id, text: signatureText }, count: 0, firstSeed: shardSeed(seed, shard, index), seenThrough: new Map() });
    }
    for (const [id, count] of Object.entries(entry.counts)) {
      const tally = tallies.get(id);
      if (!tally) throw new UserError(`${where}: signature ${id} is counted before any case saw it first`);
      tally.count += count;
    }
    for (const [id, sightings] of Object.entries(entry.seen ?? {})) {
      const tally = tallies.get(id);
      if (!tally) throw new UserError(`${where}: signature ${id} is sighted before any case saw it first`);
      for (const [key, count] of Object.entries(sightings)) tally.seenThrough.set(key, (tally.seenThrough.get(key) ?? 0) + count);
    }
    elapsedMs = entry.elapsedMs;
  });
  return { resume: { cases: lines.length, elapsedMs, tallies }, journalBytes: Buffer.byteLength(complete) };
};

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the campaign: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
};

/** The campaign an `hbadiff run` left in `directory`, to continue with `--resume`. */
export const loadCampaign = (directory: string): LoadedCampaign => {
  const planFile = join(directory, planFileName);
  const plan = parsePlan(readText(planFile), planFile);
  const journalFile = join(directory, journalFileName);
  return { plan, ...parseJournal(existsSync(journalFile) ? readText(journalFile) : '', journalFile, plan.seed, plan.shard) };
};
