import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CaseProblem } from '../case/case-problem';
import { loadCase } from '../case/load-case';
import { parseJson } from '../case/parse-case';
import { checkSchema, schemaCompiler } from '../case/schema-check';
import { UserError } from '../errors/user-error';
import { Baseline, BaselineEntry, UpstreamVerdict } from './baseline';
import baselineSchema from './baseline-schema.json';

export interface BaselineDocument {
  readonly format: string;
  readonly qemuVersion: string;
  readonly packageVersion?: string;
  readonly entries: readonly { signature: string; text: string; reason: string; location?: string; upstream?: Record<string, UpstreamVerdict>; case: string }[];
}

const validateBaseline = schemaCompiler.compile<BaselineDocument>(baselineSchema);

export const baselineDirectory = resolve(__dirname, '../../baselines');

/** `baselines/<version>.json`: one baseline per QEMU version, as `--version` names it. */
export const baselineFileFor = (qemuVersion: string, directory = baselineDirectory): string => join(directory, `${qemuVersion}.json`);

/** A baseline's text, checked against its schema and for signatures listed twice; the cases it names are not read. */
export const parseBaselineDocument = (text: string, file: string): BaselineDocument => {
  try {
    const document = checkSchema(validateBaseline, parseJson(text, file));
    const seen = new Set<string>();
    document.entries.forEach((entry, index) => {
      if (seen.has(entry.signature)) throw new CaseProblem(['entries', index, 'signature'], `${entry.signature} is listed twice`);
      seen.add(entry.signature);
    });
    return document;
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(file);
    throw error;
  }
};

/** Reads and checks a baseline and every case it names; a missing file is the caller's to decide about. */
export const loadBaseline = async (file: string): Promise<Baseline> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the baseline: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const document = parseBaselineDocument(text, file);
  const entries: BaselineEntry[] = [];
  for (const entry of document.entries) {
    entries.push({
      signature: entry.signature,
      text: entry.text,
      reason: entry.reason,
      ...(entry.location !== undefined && { location: entry.location }),
      ...(entry.upstream !== undefined && { upstream: entry.upstream }),
      caseFile: entry.case,
      case: await loadCase(join(dirname(file), entry.case)),
    });
  }
  return { file, qemuVersion: document.qemuVersion, packageVersion: document.packageVersion, entries };
};

/** The baseline for a QEMU version, or an empty one when there is none yet (a new version starts with nothing known). */
export const loadBaselineFor = async (qemuVersion: string, directory = baselineDirectory): Promise<Baseline> => {
  const file = baselineFileFor(qemuVersion, directory);
  return existsSync(file) ? loadBaseline(file) : { file, qemuVersion, entries: [] };
};
