import { appendFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/user-error';
import { CampaignProgress } from './campaign';
import { CAMPAIGN_FORMAT, CampaignPlan, JournalEntry, journalFileName, planFileName } from './campaign-plan';
import { LoadedCampaign } from './load-campaign';

/**
 * The campaign's own log in its findings directory: the plan, then one line per finished case, appended as
 * each case ends, so that an interrupted campaign can be resumed at the next case with its tallies.
 */
export class CampaignJournal {
  private readonly counted: Map<string, number>;

  private constructor(
    private readonly file: string,
    counted: Iterable<[string, number]>,
  ) {
    this.counted = new Map(counted);
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
    return new CampaignJournal(file, [...loaded.resume.tallies].map(([id, tally]) => [id, tally.count]));
  }

  /** Appends the case `progress` has just counted: how each tally changed since the last line. */
  record(progress: CampaignProgress): void {
    const counts: Record<string, number> = {};
    const first: Record<string, string> = {};
    for (const [id, tally] of progress.tallies) {
      const before = this.counted.get(id) ?? 0;
      if (tally.count === before) continue;
      counts[id] = tally.count - before;
      if (before === 0) first[id] = tally.signature.text;
      this.counted.set(id, tally.count);
    }
    const entry: JournalEntry = { case: progress.cases - 1, elapsedMs: progress.elapsedMs, counts, first };
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
