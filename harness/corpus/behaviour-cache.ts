import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Case } from '../case/case-types';
import { serializeCase } from '../case/serialize-case';
import { Behaviour } from './behaviour';

/** The sidecar of a corpus directory: one JSON line per measured case, appended as cases are run. */
export const BEHAVIOURS_FILE = 'behaviours.jsonl';

/** A case's identity for the cache and for corpus file names: its canonical text, less where it came from. */
export const caseKey = (testCase: Case): string =>
  createHash('sha1')
    .update(serializeCase({ ...testCase, provenance: undefined }))
    .digest('hex');

interface CacheLine {
  readonly case: string;
  readonly environment: string;
  readonly behaviours: readonly Behaviour[];
}

const isCacheLine = (value: unknown): value is CacheLine => {
  const line = value as Partial<CacheLine> | null;
  return typeof line?.case === 'string' && typeof line.environment === 'string' && Array.isArray(line.behaviours);
};

const parsedLine = (text: string): CacheLine | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return isCacheLine(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The behaviours already measured for a corpus directory's cases, per environment. It is a cache: a line
 * that does not parse (a campaign killed mid-write) is measured again, never an error.
 */
export class BehaviourCache {
  private readonly known = new Map<string, readonly Behaviour[]>();
  private readonly file: string;

  constructor(directory: string) {
    this.file = join(directory, BEHAVIOURS_FILE);
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const entry = parsedLine(line);
      if (entry) this.known.set(`${entry.environment} ${entry.case}`, entry.behaviours);
    }
  }

  get(environment: string, key: string): readonly Behaviour[] | undefined {
    return this.known.get(`${environment} ${key}`);
  }

  record(environment: string, key: string, behaviours: readonly Behaviour[]): void {
    if (this.get(environment, key)) return;
    this.known.set(`${environment} ${key}`, behaviours);
    const line: CacheLine = { case: key, environment, behaviours };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}
