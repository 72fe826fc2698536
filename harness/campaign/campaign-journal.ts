import { appendFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/user-error';
import { CampaignProgress, SignatureTally } from './campaign';
import { CAMPAIGN_FORMAT, CampaignPlan, JournalEntry, journalFileName, planFileName } from './campaign-plan';
import { LoadedCampaign } from './load-campaign';

/**
 * The campaign's own log in its findings directory: the plan, then one line per finished case, appended as
 * each case ends, so that an interrupted campaign can be resumed at the next case with its tallies.
 */
export class CampaignJournal {
  private readonly counted: Map<string, number>;
  private readonly sighted: Map<string, Map<string, number>>;

  private constructor(
    private readonly file: string,
    tallies: Iterable<[string, SignatureTally]>,
  ) {
    const known = [...tallies];
    this.counted = new Map(known.map(([id, tally]) => [id, tally.count]));
    this.sighted = new Map(known.map(([id, tally]) => [id, new Map(tally.seenThrough)]));
  }

  /** Starts the journal of a new campaign, refusing a directory that holds one already. */
  static begin(directory: string, plan: CampaignPlan): CampaignJournal {
    const planFile = join(directory, planFileName);
    if (existsSync(planFile)) {
      throw new UserError(`${directory}: holds a campaign already; continue it with --resume ${directory}, or name another --findings directory`);
    }
    writeFileSync(planFile, `${JSON.stringify({ format: CAMPAIGN_FORMAT, ...plan }, null, 2)}\n`);
    return new CampaignJournal(join(directory, journalFileName), []);
  }

  /** Goes on with a loaded journal, cutting off a last line that a kill tore in the middle. */
  static resume(directory: string, loaded: LoadedCampaign): CampaignJournal {
    const file = join(directory, journalFileName);
    if (existsSync(file)) truncateSync(file, loaded.journalBytes);
    return new CampaignJournal(file, loaded.resume.tallies);
  }

  /** Appends the case `progress` has just counted: how each tally changed since the last line. */
  record(progress: CampaignProgress): void {
    const counts: Record<string, number> = {};
    const first: Record<string, string> = {};
    const seen: Record<string, Record<string, number>> = {};
    for (const [id, tally] of progress.tallies) {
      const before = this.counted.get(id) ?? 0;
      if (tally.count === before) continue;
      counts[id] = tally.count - before;
      if (before === 0) first[id] = tally.signature.text;
      this.counted.set(id, tally.count);
      const sighted = this.sighted.get(id) ?? new Map<string, number>();
      for (const [key, count] of tally.seenThrough) {
        if (count !== (sighted.get(key) ?? 0)) seen[id] = { ...seen[id], [key]: count - (sighted.get(key) ?? 0) };
      }
      this.sighted.set(id, new Map(tally.seenThrough));
    }
    const entry: JournalEntry = { case: progress.cases - 1, elapsedMs: progress.elapsedMs, counts, first, seen };
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
