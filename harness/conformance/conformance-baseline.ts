import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CaseProblem } from '../case/case-problem';
import { parseJson } from '../case/parse-case';
import { checkSchema, schemaCompiler } from '../case/schema-check';
import { baselineDirectory } from '../baseline/load-baseline';
import { PathId } from '../qemu/topology';
import { ConformanceTable } from './conformance-table';
import schema from './conformance-baseline-schema.json';
import { Verdict } from './verdict';

interface ConformanceBaselineDocument {
  readonly format: 'hbadiff-conformance-baseline/1';
  readonly qemuVersion: string;
  readonly suite?: string;
  readonly rows: Readonly<Record<string, Readonly<Record<PathId, Verdict>>>>;
}

const validate = schemaCompiler.compile<ConformanceBaselineDocument>(schema);

/** `baselines/conformance/<version>.json`: the table a QEMU version is known to give, beside its causes' baseline. */
export const conformanceBaselineFileFor = (qemuVersion: string): string => join(baselineDirectory, 'conformance', `${qemuVersion}.json`);

/** The version's table as its baseline holds it (verdicts only), or undefined when it has none. */
export const loadConformanceBaseline = (qemuVersion: string): ConformanceTable | undefined => {
  const file = conformanceBaselineFileFor(qemuVersion);
  if (!existsSync(file)) return undefined;
  let document: ConformanceBaselineDocument;
  try {
    document = checkSchema(validate, parseJson(readFileSync(file, 'utf8'), file));
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(file);
    throw error;
  }
  const paths = [...new Set(Object.values(document.rows).flatMap((row) => Object.keys(row) as PathId[]))];
  const rows = Object.entries(document.rows).map(([test, verdicts]) => ({ test, verdicts, notes: {} }));
  return { qemuVersion: document.qemuVersion, paths, rows };
};

/**
 * Writes the table's verdicts into the version's baseline, over the rows and paths it ran: a run of a few
 * tests or paths updates those and keeps the rest.
 */
export const updateConformanceBaseline = (table: ConformanceTable, suite: string): string => {
  const file = conformanceBaselineFileFor(table.qemuVersion);
  const old = loadConformanceBaseline(table.qemuVersion);
  const rows: Record<string, Record<PathId, Verdict>> = {};
  for (const row of old?.rows ?? []) rows[row.test] = { ...row.verdicts };
  for (const row of table.rows) rows[row.test] = { ...rows[row.test], ...row.verdicts };
  const sorted = Object.fromEntries(Object.entries(rows).sort(([a], [b]) => a.localeCompare(b)));
  const document: ConformanceBaselineDocument = { format: 'hbadiff-conformance-baseline/1', qemuVersion: table.qemuVersion, suite, rows: sorted };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
};
