import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serializeCase } from '../case/serialize-case';
import { Baseline } from './baseline';

/**
 * Writes a baseline and one case file per entry beside it (`<version>/<signature>.json`), and removes the
 * case files of entries no longer in it, so that the directory holds what the baseline says and no more.
 */
export const writeBaseline = (baseline: Baseline): void => {
  const directory = dirname(baseline.file);
  const document = {
    format: 'hbadiff-baseline/1',
    qemuVersion: baseline.qemuVersion,
    packageVersion: baseline.packageVersion,
    entries: baseline.entries.map((entry) => ({
      signature: entry.signature,
      text: entry.text,
      reason: entry.reason,
      ...(entry.location !== undefined && { location: entry.location }),
      ...(entry.upstream !== undefined && { upstream: entry.upstream }),
      case: entry.caseFile,
    })),
  };
  const caseDirectory = join(directory, baseline.qemuVersion);
  mkdirSync(caseDirectory, { recursive: true });
  const wanted = new Set(baseline.entries.map((entry) => join(directory, entry.caseFile)));
  for (const entry of baseline.entries) writeFileSync(join(directory, entry.caseFile), serializeCase(entry.case));
  if (existsSync(caseDirectory)) {
    for (const name of readdirSync(caseDirectory)) if (!wanted.has(join(caseDirectory, name))) rmSync(join(caseDirectory, name));
  }
  writeFileSync(baseline.file, `${JSON.stringify(document, null, 2)}\n`);
};
