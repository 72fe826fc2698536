import junit from 'junit-report-builder';
import markdownTable from 'markdown-table';
import { PathId } from '../qemu/topology';
import { ChangedRow, ConformanceTable, pairDifferences, rowDiffers, rowFails, rowStandsOut } from './conformance-table';
import { DecodedRow } from './row-decode';
import { Verdict, verdictLabel, verdicts } from './verdict';

/** A cause a row's case showed when replayed on every path, and whether the version's baseline knows it. */
export interface RowCause {
  readonly id: string;
  readonly text: string;
  readonly known: boolean;
}

/** The case a failing or differing row became, and what replaying it found. */
export interface RowFinding {
  readonly test: string;
  /** The path whose run of the test gave the case its commands. */
  readonly from: PathId;
  /** Relative to the report's directory. */
  readonly caseFile: string;
  readonly steps: number;
  readonly causes: readonly RowCause[];
}

export interface PathSummary {
  readonly path: PathId;
  readonly wallMs: number;
  readonly bootMs: number;
  readonly restarts: number;
  readonly counts: Readonly<Record<Verdict, number>>;
}

/** Everything `hbadiff conformance` found, typed: the files and the console render it. */
export interface ConformanceReport {
  readonly table: ConformanceTable;
  /** The conformance suite: the image's Debian package and version of it. */
  readonly suite: string;
  readonly guestKernel: string;
  readonly perPath: readonly PathSummary[];
  readonly decoded: readonly DecodedRow[];
  readonly findings: readonly RowFinding[];
  /** The rows that changed against the version's baseline, or between the two builds of --baseline-qemu. */
  readonly changed?: { readonly against: string; readonly rows: readonly ChangedRow[] };
}

export const verdictCounts = (table: ConformanceTable, path: PathId): Record<Verdict, number> =>
  Object.fromEntries(verdicts.map((verdict) => [verdict, table.rows.filter((row) => row.verdicts[path] === verdict).length])) as Record<Verdict, number>;

/** A cause the rows' cases showed, once, with every row whose case showed it: one line per cause, not per row. */
interface CauseAcrossRows extends RowCause {
  readonly tests: readonly string[];
}

/** New causes first, then those shown by the most rows. */
const causesAcrossRows = (findings: readonly RowFinding[]): CauseAcrossRows[] => {
  const causes = new Map<string, { cause: RowCause; tests: string[] }>();
  for (const finding of findings) {
    for (const cause of finding.causes) {
      const entry = causes.get(cause.id) ?? { cause, tests: [] };
      entry.tests.push(finding.test);
      causes.set(cause.id, entry);
    }
  }
  return [...causes.values()]
    .map(({ cause, tests }) => ({ ...cause, tests }))
    .sort((a, b) => Number(a.known) - Number(b.known) || b.tests.length - a.tests.length);
};

const listed = (tests: readonly string[], most = 4): string => `${tests.slice(0, most).join(', ')}${tests.length > most ? ` and ${tests.length - most} more` : ''}`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const causeText = (cause: RowCause): string => `${cause.known ? 'known' : 'NEW'} ${cause.id} ${cause.text}`;

const changedText = (row: ChangedRow): string => `${row.test}: ${row.paths.map((each) => `${each.path} ${each.before} → ${each.after}`).join(', ')}`;

/** Past six paths (fifteen pairs) the pairs are conformance.md's to list: the console says how many differ. */
const pairLines = (table: ConformanceTable): string[] => {
  const pairs = pairDifferences(table);
  if (table.paths.length <= 6) return pairs.map((each) => `  ${each.pair[0]} vs ${each.pair[1]}: ${each.tests} test(s) differ`);
  return [`  ${pairs.filter((each) => each.tests > 0).length} of ${pairs.length} pairs of paths differ in a test or more (per pair in conformance.md)`];
};

const causeLines = (findings: readonly RowFinding[]): string[] => {
  if (findings.length === 0) return [];
  const causes = causesAcrossRows(findings);
  const silent = findings.filter((finding) => finding.causes.length === 0).map((finding) => finding.test);
  return [
    `the cases of ${findings.length} row(s), replayed on every path, show ${causes.length} cause(s): ${causes.filter((cause) => cause.known).length} known to the baseline, ${causes.filter((cause) => !cause.known).length} new`,
    ...causes.map((cause) => `  ${causeText(cause)}: ${listed(cause.tests)}`),
    ...(silent.length > 0 ? [`  no cause (every path answers alike and as the model expects): ${listed(silent, silent.length)}`] : []),
  ];
};

/** The headline a console prints: counts per path, per pair, and the rows that changed. */
export const summaryLines = (report: ConformanceReport): string[] => {
  const { table } = report;
  const differing = table.rows.filter(rowDiffers).length;
  const failingEverywhere = table.rows.filter((row) => !rowDiffers(row) && rowFails(row)).length;
  return [
    `${report.suite}, ${table.rows.length} SCSI tests on ${table.paths.length} path(s), QEMU ${table.qemuVersion}, guest kernel ${report.guestKernel}`,
    ...report.perPath.map(
      (each) =>
        `  ${each.path}: ${verdicts.map((verdict) => `${each.counts[verdict]} ${verdict}`).join(', ')}; ${seconds(each.wallMs)} (boot ${seconds(each.bootMs)})${each.restarts ? `, ${each.restarts} guest restart(s)` : ''}`,
    ),
    ...pairLines(table),
    `${differing} row(s) differ between paths, ${failingEverywhere} fail on every path`,
    ...causeLines(report.findings),
    ...(report.changed
      ? [`${report.changed.rows.length} row(s) changed against ${report.changed.against}`, ...report.changed.rows.map((row) => `  ${changedText(row)}`)]
      : []),
  ];
};

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/** conformance.md: the summary, the table (rows that differ first), then each failing or differing row decoded. */
export const conformanceMarkdown = (report: ConformanceReport): string => {
  const { table } = report;
  const findingOf = (test: string) => report.findings.find((finding) => finding.test === test);
  const decodedOf = (test: string) => report.decoded.find((decoded) => decoded.test === test);
  const sections = [
    `# libiscsi conformance, QEMU ${table.qemuVersion}`,
    '',
    `${report.suite} (\`iscsi-test-cu --dataloss --test=SCSI.<suite>\`), each path in a guest of its own on a fresh disk, guest kernel ${report.guestKernel}.`,
    '',
    markdownTable([
      ['path', ...verdicts, 'wall time', 'boot', 'restarts'],
      ...report.perPath.map((each) => [each.path, ...verdicts.map((verdict) => String(each.counts[verdict])), seconds(each.wallMs), seconds(each.bootMs), String(each.restarts)]),
    ]),
    '',
    markdownTable([['paths', 'tests that differ'], ...pairDifferences(table).map((each) => [`${each.pair[0]} vs ${each.pair[1]}`, String(each.tests)])]),
    '',
  ];
  if (report.findings.length > 0) {
    sections.push('## Causes', '', `Each failing or differing row's case, replayed on every path and judged as a campaign judges; a cause once, with the rows that show it.`, '');
    sections.push(markdownTable([['cause', 'known', 'text', 'rows'], ...causesAcrossRows(report.findings).map((cause) => [cause.id, cause.known ? 'known' : 'NEW', escapeCell(cause.text), String(cause.tests.length)])]), '');
  }
  if (report.changed) {
    sections.push(`## Rows changed against ${report.changed.against}`, '');
    sections.push(report.changed.rows.length === 0 ? 'None.' : markdownTable([['test', 'path', 'before', 'after'], ...report.changed.rows.flatMap((row) => row.paths.map((each) => [row.test, each.path, each.before, each.after]))]), '');
  }
  sections.push('## Tests × paths', '', 'Rows that differ between paths first, then rows that fail on every path, then the rest.', '');
  sections.push(markdownTable([['test', ...table.paths, 'case', 'causes'], ...table.rows.map((row) => {
    const finding = findingOf(row.test);
    return [row.test, ...table.paths.map((path) => verdictLabel[row.verdicts[path]]), finding?.caseFile ?? '', finding ? finding.causes.map((cause) => `${cause.known ? '' : 'NEW '}${cause.id}`).join(' ') : ''];
  })]));
  sections.push('', '## Failing and differing rows, decoded', '');
  for (const row of table.rows.filter(rowStandsOut)) {
    const decoded = decodedOf(row.test);
    const finding = findingOf(row.test);
    sections.push(`### ${row.test}`, '');
    for (const path of table.paths) {
      const notes = row.notes[path] ?? [];
      sections.push(`- ${path}: **${verdictLabel[row.verdicts[path]]}**, ${decoded?.commandCounts[path] ?? 0} command(s)${notes.length ? `: ${notes.slice(0, 4).map((note) => `\`${note}\``).join('; ')}${notes.length > 4 ? ` and ${notes.length - 4} more` : ''}` : ''}`);
    }
    if (decoded?.telling) {
      sections.push('', `Step ${decoded.telling.step}:`, '', markdownTable([['path', 'command', 'answer'], ...table.paths.map((path) => [path, escapeCell(decoded.telling?.commands[path] ?? ''), escapeCell(decoded.telling?.answers[path] ?? '')])]));
    }
    if (finding) {
      sections.push('', `Case \`${finding.caseFile}\`: ${finding.steps} commands from ${finding.from}; replayed on every path, it shows ${finding.causes.length === 0 ? 'no cause (every path answers alike and as the model expects)' : `${finding.causes.length} cause(s):`}`);
      for (const cause of finding.causes) sections.push(`- ${causeText(cause)}`);
    }
    sections.push('');
  }
  return `${sections.join('\n')}\n`;
};

/** JUnit XML: a suite per path, a test case per test, failed, errored or skipped as the suite said. */
export const conformanceJunit = (report: ConformanceReport): string => {
  const builder = junit.newBuilder();
  for (const summary of report.perPath) {
    const suite = builder.testSuite().name(`libiscsi SCSI on ${summary.path}, QEMU ${report.table.qemuVersion}`).time(summary.wallMs / 1000);
    for (const row of report.table.rows) {
      const test = suite.testCase().className(`libiscsi.${summary.path}`).name(row.test);
      const notes = (row.notes[summary.path] ?? []).join('\n');
      const verdict = row.verdicts[summary.path];
      if (verdict === 'fail') test.failure(notes || 'failed');
      else if (verdict === 'error') test.error(notes || 'never reported');
      else if (verdict === 'skip' || verdict === 'n/a') test.skipped();
    }
  }
  return builder.build();
};
