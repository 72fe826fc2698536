import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Case } from '../case/case-types';
import { loadCase } from '../case/load-case';
import { UserError } from '../errors/user-error';

/** A finding as a findings directory keeps it: its signature and its case, the rest being for people. */
export interface StoredFinding {
  readonly signature: string;
  readonly text: string;
  /** Where the cause lies in QEMU's source, where its trace showed it. */
  readonly location?: string;
  readonly case: Case;
}

/** `cause.json`, as FindingsStore writes it: only its location is read back, the rest the case says. */
const locationIn = (file: string): string | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    const location = (JSON.parse(readFileSync(file, 'utf8')) as { location?: unknown }).location;
    return typeof location === 'string' ? location : undefined;
  } catch {
    return undefined;
  }
};

/** The findings a FindingsStore wrote into `directory`: one sub-directory per signature, holding case.json. */
export const readFindings = async (directory: string): Promise<StoredFinding[]> => {
  if (!existsSync(directory)) throw new UserError(`${directory}: no such findings directory`);
  const found: StoredFinding[] = [];
  for (const name of readdirSync(directory).sort()) {
    const file = join(directory, name, 'case.json');
    if (!/^[0-9a-f]{12}$/.test(name) || !existsSync(file)) continue;
    const testCase = await loadCase(file);
    const location = locationIn(join(directory, name, 'cause.json'));
    found.push({ signature: name, text: testCase.provenance?.signature ?? name, ...(location !== undefined && { location }), case: testCase });
  }
  return found;
};
