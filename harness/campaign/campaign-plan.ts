import { PathId } from '../qemu/topology';
import { Shard } from './shard';

/**
 * What a campaign is, written to `campaign.json` in its findings directory before the first case: all
 * that `hbadiff run --resume DIR` needs to go on with the same cases, budget and policy.
 */
export interface CampaignPlan {
  readonly seed: number;
  /** Absent: every path of the default topology. */
  readonly paths?: readonly PathId[];
  readonly policy: string;
  /** The budget of the whole campaign, resumed parts included. */
  readonly timeMs: number;
  /** This runner's cases: with a shard, its part of the campaign's. */
  readonly maxCases?: number;
  readonly shard?: Shard;
  /** What the cases draw beside single commands and resets; absent: nothing else. */
  readonly draws?: CampaignDraws;
}

/** `--queue-depth` and `--host-events`: groups of queued commands (1: none) and host events among the steps. */
export interface CampaignDraws {
  readonly queueDepth: number;
  readonly hostEvents: boolean;
}

export const CAMPAIGN_FORMAT = 'hbadiff-campaign/1';
export const planFileName = 'campaign.json';
/** One line per finished case: how it changed the tallies. */
export const journalFileName = 'cases.jsonl';

/** One line of the journal: case numbers count from 0 in order; `first` names the signatures this case found first. */
export interface JournalEntry {
  readonly case: number;
  readonly elapsedMs: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly first: Readonly<Record<string, string>>;
  /** Per signature, how many more times each command and field showed it (`<scope> <field>`). */
  readonly seen?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
