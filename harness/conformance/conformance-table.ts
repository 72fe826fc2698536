import { PathId } from '../qemu/topology';
import { PathConformance } from './conformance-on-path';
import { Verdict } from './verdict';

/** One test across the paths. */
export interface ConformanceRow {
  /** `Suite.Test`. */
  readonly test: string;
  readonly verdicts: Readonly<Record<PathId, Verdict>>;
  /** Per path, what the suite said of the test there (its failures, skips and warnings). */
  readonly notes: Readonly<Record<PathId, readonly string[]>>;
}

/** The per-test, per-path table of one QEMU build. */
export interface ConformanceTable {
  readonly qemuVersion: string;
  readonly paths: readonly PathId[];
  /** The rows that differ between paths first, then those that fail on every path, then the rest; each in the suite's order. */
  readonly rows: readonly ConformanceRow[];
}

export const rowDiffers = (row: ConformanceRow): boolean => new Set(Object.values(row.verdicts)).size > 1;

export const rowFails = (row: ConformanceRow): boolean => Object.values(row.verdicts).some((verdict) => verdict === 'fail' || verdict === 'error');

/** A row a reader must have explained: the paths disagree on it, or it fails somewhere. Each becomes a case. */
export const rowStandsOut = (row: ConformanceRow): boolean => rowDiffers(row) || rowFails(row);

const rank = (row: ConformanceRow): number => (rowDiffers(row) ? 0 : rowFails(row) ? 1 : 2);

export const conformanceTable = (qemuVersion: string, results: readonly PathConformance[]): ConformanceTable => {
  const paths = results.map((result) => result.path);
  const tests = [...new Set(results.flatMap((result) => result.records.map((record) => record.test)))];
  const rows = tests.map((test): ConformanceRow => {
    const verdicts: Record<PathId, Verdict> = {};
    const notes: Record<PathId, readonly string[]> = {};
    for (const result of results) {
      const record = result.records.find((each) => each.test === test);
      verdicts[result.path] = record?.verdict ?? 'error';
      notes[result.path] = record?.notes ?? ['never run on this path'];
    }
    return { test, verdicts, notes };
  });
  // Array.prototype.sort is stable: within a rank the suite's order stays.
  return { qemuVersion, paths, rows: rows.sort((a, b) => rank(a) - rank(b)) };
};

/** For each pair of paths, how many tests they answer differently. */
export const pairDifferences = (table: ConformanceTable): { readonly pair: readonly [PathId, PathId]; readonly tests: number }[] =>
  table.paths.flatMap((first, index) =>
    table.paths.slice(index + 1).map((second) => ({
      pair: [first, second] as const,
      tests: table.rows.filter((row) => row.verdicts[first] !== row.verdicts[second]).length,
    })),
  );

/** A test whose verdict on some path changed from one table to the other (paths both have). */
export interface ChangedRow {
  readonly test: string;
  readonly paths: readonly { readonly path: PathId; readonly before: Verdict; readonly after: Verdict }[];
}

export const changedRows = (before: ConformanceTable, after: ConformanceTable): ChangedRow[] =>
  after.rows.flatMap((row) => {
    const old = before.rows.find((each) => each.test === row.test);
    if (!old) return [];
    const paths = after.paths
      .filter((path) => path in old.verdicts && old.verdicts[path] !== row.verdicts[path])
      .map((path) => ({ path, before: old.verdicts[path], after: row.verdicts[path] }));
    return paths.length > 0 ? [{ test: row.test, paths }] : [];
  });
