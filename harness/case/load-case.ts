import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors/user-error';
import { Case } from './case-types';
import { parseCase, ParseCaseOptions } from './parse-case';

/**
 * Node's `ENOENT: no such file or directory, open 'x'`, without the system call and the path the line
 * already starts with.
 * Duck-typed: errors from node:fs fail `instanceof Error` where the caller runs in another realm (jest).
 */
export const systemErrorText = (error: unknown): string => {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.replace(/, \w+( '.*')?$/s, '') : String(error);
};

/** Reads and parses one case file; every failure, reading included, is a one-line UserError naming `file`. */
export const loadCase = async (file: string, options?: ParseCaseOptions): Promise<Case> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read: ${systemErrorText(error)}`);
  }
  return parseCase(text, file, options);
};

export interface LoadedCases {
  readonly cases: { readonly file: string; readonly case: Case }[];
  readonly errors: { readonly file: string; readonly message: string }[];
}

/**
 * Loads every `*.json` file directly in `dir`, in name order. A bad file does not stop the others: it is
 * reported in `errors` with the message loadCase would throw. Only an unreadable directory throws.
 */
export const loadCaseDirectory = async (dir: string, options?: ParseCaseOptions): Promise<LoadedCases> => {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new UserError(`${dir}: cannot read the directory: ${systemErrorText(error)}`);
  }
  const loaded: LoadedCases = { cases: [], errors: [] };
  for (const name of names.filter((candidate) => candidate.endsWith('.json')).sort()) {
    const file = join(dir, name);
    try {
      loaded.cases.push({ file, case: await loadCase(file, options) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      loaded.errors.push({ file, message: error.message });
    }
  }
  return loaded;
};
