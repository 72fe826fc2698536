import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeCase } from '../case/serialize-case';
import { Policy } from '../diff/policy';
import { CaseRun } from '../execute/case-run';
import { behavioursOf } from './behaviour';
import { BehaviourCache, caseKey } from './behaviour-cache';

/** Corpus case files are named by the case, so that a case run twice is one file. */
const KEY_CHARACTERS = 16;

/**
 * Writes every case a campaign runs into a corpus directory, as a case file with its behaviours in the
 * directory's cache, so that `hbadiff corpus stats` or `minimize` on it afterwards boots nothing.
 */
export class CorpusRecorder {
  private readonly cache: BehaviourCache;
  private environment: string | undefined;

  constructor(
    readonly directory: string,
    private readonly policy: Policy,
  ) {
    mkdirSync(directory, { recursive: true });
    this.cache = new BehaviourCache(directory);
  }

  /** The environment the next runs come from (behaviourEnvironment), known once a guest has booted. */
  useEnvironment(environment: string): void {
    this.environment = environment;
  }

  record(run: CaseRun): void {
    if (this.environment === undefined) throw new Error('CorpusRecorder.record before useEnvironment');
    const key = caseKey(run.case);
    const file = join(this.directory, `${key.slice(0, KEY_CHARACTERS)}.json`);
    if (!existsSync(file)) writeFileSync(file, serializeCase(run.case));
    this.cache.record(this.environment, key, behavioursOf(run, this.policy));
  }
}
