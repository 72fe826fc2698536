import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Case } from '../case/case-types';
import { systemErrorText } from '../case/load-case';
import { UserError } from '../errors/user-error';
import { CorpusFormat, corpusFormats, formatOfFile } from './corpus-format';

export interface CorpusEntry {
  readonly file: string;
  readonly format: CorpusFormat;
  readonly case: Case;
}

/** A corpus as read: the good files' cases, and one line per bad file, which never stops the others. */
export interface Corpus {
  readonly entries: readonly CorpusEntry[];
  readonly errors: readonly string[];
}

const extensions = corpusFormats.map((format) => format.extension).join(', ');

const readEntry = async (file: string): Promise<CorpusEntry> => {
  const format = formatOfFile(file);
  if (!format) throw new UserError(`${file}: not a corpus file: its name ends in none of ${extensions}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UserError(`${file}: cannot read: ${systemErrorText(error)}`);
  }
  return { file, format, case: format.read(bytes, file) };
};

/** The files a source stands for: a file itself, or a directory's files of a corpus format, in name order. */
const filesOf = async (source: string): Promise<string[]> => {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(source)).isDirectory();
  } catch (error) {
    throw new UserError(`${source}: cannot read: ${systemErrorText(error)}`);
  }
  if (!isDirectory) return [source];
  const names = await readdir(source);
  return names
    .filter((name) => formatOfFile(name) !== undefined)
    .sort()
    .map((name) => join(source, name));
};

/**
 * Reads corpus files in any format (case files, binary cases, sg_raw scripts), each source a file or a
 * directory of them. A bad file or source is an error line; every good file is read.
 */
export const readCorpus = async (sources: readonly string[]): Promise<Corpus> => {
  const entries: CorpusEntry[] = [];
  const errors: string[] = [];
  const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors.push(error.message);
      return undefined;
    }
  };
  for (const source of sources) {
    for (const file of (await attempt(() => filesOf(source))) ?? []) {
      const entry = await attempt(() => readEntry(file));
      if (entry) entries.push(entry);
    }
  }
  return { entries, errors };
};
