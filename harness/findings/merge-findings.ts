import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/user-error';
import { mergeSummaries, readSummary } from './merge-summaries';
import { CampaignSummary, writeSummary } from './summary';

export interface MergeResult {
  /** Signature ids copied in, per input directory, in order. */
  readonly added: readonly { readonly from: string; readonly signatures: readonly string[] }[];
  /** Signatures an earlier input (or the output) already had. */
  readonly duplicates: number;
  /** The inputs' summaries as one, written to the output; undefined when no input had one. */
  readonly summary: CampaignSummary | undefined;
}

const signatureDirectories = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{12}$/.test(entry.name) && existsSync(join(directory, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort();

/**
 * Unions findings directories into one, deduplicated by signature: the first directory to hold a signature
 * gives its case and report; every command log is appended, so that what each shard ran stays on record;
 * their `summary.json` files become one. For CI runners that each ran a shard of one campaign.
 */
export const mergeFindings = (output: string, inputs: readonly string[]): MergeResult => {
  for (const input of inputs) if (!existsSync(input)) throw new UserError(`${input}: no such findings directory`);
  mkdirSync(output, { recursive: true });
  const present = new Set(signatureDirectories(output));
  let duplicates = 0;
  const added = inputs.map((from) => {
    const signatures: string[] = [];
    for (const id of signatureDirectories(from)) {
      if (present.has(id)) {
        duplicates++;
        continue;
      }
      cpSync(join(from, id), join(output, id), { recursive: true });
      present.add(id);
      signatures.push(id);
    }
    const log = join(from, 'commands.jsonl');
    if (existsSync(log)) appendFileSync(join(output, 'commands.jsonl'), readFileSync(log));
    return { from, signatures };
  });
  const summaries = inputs.flatMap((from) => {
    const summary = readSummary(from);
    return summary ? [{ from, summary }] : [];
  });
  const summary = mergeSummaries(summaries);
  if (summary) writeSummary(output, summary);
  return { added, duplicates, summary };
};
