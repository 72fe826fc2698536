import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { CampaignResume } from '../campaign/campaign';
import { CampaignJournal } from '../campaign/campaign-journal';
import { CampaignPlan } from '../campaign/campaign-plan';
import { loadCampaign } from '../campaign/load-campaign';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { Policy } from '../diff/policy';
import { FindingsStore } from '../findings/findings-store';
import { PathId } from '../qemu/topology';
import { Shard, shardCaseCount } from '../campaign/shard';

/** A campaign ready to run: what it is, where its findings and journal go, and where it got to if resumed. */
export interface StartedCampaign {
  readonly plan: CampaignPlan;
  readonly policy: Policy;
  readonly store: FindingsStore;
  readonly journal: CampaignJournal;
  readonly resume?: CampaignResume;
}

/** `npm start` runs in the package's directory; a relative path means the one the user typed it in. */
const fromInvocation = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);

export interface NewCampaignOptions {
  readonly seed?: number;
  readonly time: number;
  readonly count?: number;
  readonly policy?: string;
  readonly findings?: string;
  readonly shard?: Shard;
  readonly queueDepth: number;
  readonly hostEvents: boolean;
}

export const newCampaign = (options: NewCampaignOptions, paths: readonly PathId[] | undefined): StartedCampaign => {
  const plan: CampaignPlan = {
    seed: options.seed ?? randomInt(2 ** 31 - 1),
    ...(paths ? { paths } : {}),
    policy: resolve(options.policy ?? defaultPolicyFile),
    timeMs: options.time * 1000,
    // Each shard's part of the campaign's count, so that the shards together run exactly its cases.
    ...(options.count !== undefined ? { maxCases: options.shard ? shardCaseCount(options.count, options.shard) : options.count } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...((options.queueDepth > 1 || options.hostEvents) && { draws: { queueDepth: options.queueDepth, hostEvents: options.hostEvents } }),
  };
  // Loaded before the journal begins, so that a bad policy leaves no campaign behind to resume.
  const policy = loadPolicy(plan.policy);
  const store = new FindingsStore(fromInvocation(options.findings ?? join('findings', new Date().toISOString().replace(/[:.]/g, '-'))));
  return { plan, policy, store, journal: CampaignJournal.begin(store.directory, plan) };
};

/** `--resume DIR`: the campaign DIR's journal describes, at its next case. */
export const resumedCampaign = (directory: string): StartedCampaign => {
  const absolute = fromInvocation(directory);
  const loaded = loadCampaign(absolute);
  const policy = loadPolicy(loaded.plan.policy);
  return { plan: loaded.plan, policy, store: new FindingsStore(absolute), journal: CampaignJournal.resume(absolute, loaded), resume: loaded.resume };
};
