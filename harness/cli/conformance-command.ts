import { SingleBar } from 'cli-progress';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBaselineFor } from '../baseline/load-baseline';
import { Case } from '../case/case-types';
import { serializeCase } from '../case/serialize-case';
import { GuestExecutors } from '../campaign/guest-executors';
import { commandsWithDataOut, conformanceOnPath, PathConformance, suiteDeadlineMs } from '../conformance/conformance-on-path';
import { loadConformanceBaseline, updateConformanceBaseline, conformanceBaselineFileFor } from '../conformance/conformance-baseline';
import { conformanceJunit, conformanceMarkdown, ConformanceReport, RowFinding, summaryLines, verdictCounts } from '../conformance/conformance-report';
import { changedRows, ConformanceRow, ConformanceTable, conformanceTable, rowStandsOut } from '../conformance/conformance-table';
import { LoggedCommand } from '../conformance/logged-command';
import { caseOfTest, casePathOf } from '../conformance/row-case';
import { decodeRow } from '../conformance/row-decode';
import { chosenTests, hostScsiTests, selectSuites } from '../conformance/suite-catalog';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { runJudge } from '../diff/run-judge';
import { UserError } from '../errors/user-error';
import { ExecutorPerTopology } from '../execute/executor-per-topology';
import { causesOf } from '../findings/causes';
import { findGuestImage } from '../guest/image';
import { modelOracles } from '../model/model-judge';
import { locateQemu, probeQemu, QemuBinary } from '../qemu/binary';
import { pathsOfHbas } from '../qemu/hba/hba-selection';
import { defaultTopology, layoutTopology, PathId } from '../qemu/topology';
import { AcceleratorChoice } from '../session/accelerator';
import { topologyOfOnePath } from '../session/case-topology';
import { defaultPathsNamed } from './default-paths-option';
import { stopOnSignals } from './stop-on-signals';

export interface ConformanceOptions {
  readonly qemu?: string;
  readonly baselineQemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly paths?: string;
  readonly hbas?: string;
  readonly disks: string;
  readonly tests?: string;
  readonly jobs: number;
  readonly out: string;
  /** commander's name for `--no-cases`. */
  readonly cases: boolean;
  readonly updateBaseline?: boolean;
  readonly policy?: string;
}


const choosePaths = (options: ConformanceOptions, qemu: QemuBinary): PathId[] => {
  if (options.hbas !== undefined && options.paths !== undefined) throw new UserError('--hbas and --paths: name the paths one way or the other');
  if (options.hbas !== undefined) return pathsOfHbas(options.hbas, options.disks, qemu, findGuestImage(), (line) => console.log(line));
  return options.paths === undefined ? layoutTopology(defaultTopology).map((layout) => layout.path) : defaultPathsNamed(options.paths);
};

/** Runs work items `jobs` at a time, in order of start; the results in the items' order. */
const inPool = async <T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
};

const sequencesOf = (test: string, results: readonly PathConformance[]): Map<PathId, readonly LoggedCommand[]> =>
  new Map(results.map((result) => [result.path, result.records.find((record) => record.test === test)?.commands ?? []]));

const fileNameOf = (name: string): string => name.replace(/[^\w.-]+/g, '_');

/**
 * Each failing or differing row as a case (out/cases/<test>.json) on every path of the table, replayed on one
 * guest with them all and judged as a campaign judges: the causes it shows, known to the version's baseline or new.
 */
const findingsOf = async (
  table: ConformanceTable,
  rows: readonly ConformanceRow[],
  results: readonly PathConformance[],
  options: ConformanceOptions,
  qemu: QemuBinary,
): Promise<RowFinding[]> => {
  if (!options.cases || rows.length === 0) return [];
  const casesDir = join(options.out, 'cases');
  mkdirSync(casesDir, { recursive: true });
  const known = new Set((await loadBaselineFor(qemu.version)).entries.map((entry) => entry.signature));
  const judge = runJudge(loadPolicy(options.policy ?? defaultPolicyFile), modelOracles(true));
  const executor = new ExecutorPerTopology((topology) => new GuestExecutors({ qemu: options.qemu, accelerator: options.accel, topology }));
  stopOnSignals(() => executor.close());
  const findings: RowFinding[] = [];
  const sources = rows.flatMap((row) => {
    const from = casePathOf(row, sequencesOf(row.test, results));
    return from === undefined ? [] : [{ row, from }];
  });
  try {
    for (const from of new Set(sources.map((source) => source.from))) {
      const tests = sources.filter((source) => source.from === from).map((source) => source.row.test);
      const sent = await commandsWithDataOut({ path: from, topology: topologyOfOnePath(from) }, tests, { qemu: options.qemu, accelerator: options.accel, suiteDeadlineMs });
      for (const { row } of sources.filter((source) => source.from === from)) {
        const { preamble, commands } = sent.get(row.test) ?? { preamble: [], commands: [] };
        if (commands.length === 0) continue;
        const sentByTest = { test: row.test, from, commands, qemuVersion: qemu.version, verdicts: row.verdicts };
        const causesOfCase = async (testCase: Case) => {
          const run = await executor.run(testCase);
          return causesOf(judge(run), run).map(({ signature }) => ({ id: signature.id, text: signature.text, known: known.has(signature.id) }));
        };
        let testCase = caseOfTest(sentByTest, table.paths);
        let causes = await causesOfCase(testCase);
        // A test that branches on what the suite learnt at its start (the disk's provisioning, its mode pages)
        // differs between paths through the suite's first commands, not its own: then the case starts with them.
        if (causes.length === 0 && preamble.length > 0) {
          testCase = caseOfTest({ ...sentByTest, preamble }, table.paths);
          causes = await causesOfCase(testCase);
        }
        const caseFile = join('cases', `${fileNameOf(row.test)}.json`);
        writeFileSync(join(options.out, caseFile), serializeCase(testCase));
        findings.push({ test: row.test, from, caseFile, steps: testCase.steps.length, causes });
      }
    }
  } finally {
    await executor.close();
  }
  return findings.sort((a, b) => rows.findIndex((row) => row.test === a.test) - rows.findIndex((row) => row.test === b.test));
};

/**
 * `hbadiff conformance`: libiscsi's SCSI tests on each path in a guest of its own, a table of tests × paths
 * (conformance.md, .json, JUnit), each failing or differing row decoded and made a case; against the version's
 * baseline table, or with --baseline-qemu against another build. Exit 1 when a row changed, 0 otherwise.
 */
export const conformanceCommand = async (options: ConformanceOptions): Promise<number> => {
  const qemu = await probeQemu(locateQemu(options.qemu));
  const before = options.baselineQemu ? await probeQemu(locateQemu(options.baselineQemu)) : undefined;
  const paths = choosePaths(options, qemu);
  const all = hostScsiTests();
  const tests = chosenTests(all, options.tests);
  const selections = selectSuites(all, (test) => tests.includes(test));
  const builds = before ? [before, qemu] : [qemu];
  const work = builds.flatMap((build) => paths.map((path) => ({ build, path })));

  // Two builds of one version (a patched one and its base) must not share a log.
  const buildLabel = (build: QemuBinary) => (build === before ? `baseline-${build.version}` : build.version);
  mkdirSync(join(options.out, 'logs'), { recursive: true });
  const bar = new SingleBar({ format: 'conformance |{bar}| {value}/{total} tests run | {eta_formatted} left', etaBuffer: 20 });
  bar.start(work.length * tests.length, 0);
  const results = await inPool(work, options.jobs, async ({ build, path }) => {
    const result = await conformanceOnPath({ path, topology: topologyOfOnePath(path) }, { qemu: build.path, accelerator: options.accel, selections, suiteDeadlineMs, onSuite: (_, count) => bar.increment(count) });
    // Each path's log as soon as it is done: a run stopped while a slow HBA (pvscsi) still runs keeps the others'.
    writeFileSync(join(options.out, 'logs', `${fileNameOf(`${buildLabel(build)}-${path}`)}.log`), result.log);
    return result;
  });
  bar.stop();

  const resultsOf = (build: QemuBinary) => results.filter((_, index) => work[index].build === build);
  const table = conformanceTable(qemu.version, resultsOf(qemu));

  const image = findGuestImage();
  const suite = `${image.conformanceSuite} iscsi-test-cu`;
  let changed: ConformanceReport['changed'];
  if (before) changed = { against: `QEMU ${before.version} (${before.path})`, rows: changedRows(conformanceTable(before.version, resultsOf(before)), table) };
  else if (options.updateBaseline) console.log(`${updateConformanceBaseline(table, suite)}: ${table.rows.length} row(s) on ${paths.length} path(s) written`);
  else {
    const baseline = loadConformanceBaseline(qemu.version);
    if (baseline) changed = { against: conformanceBaselineFileFor(qemu.version), rows: changedRows(baseline, table) };
    else console.log(`no conformance baseline for QEMU ${qemu.version} (${conformanceBaselineFileFor(qemu.version)}): nothing to compare with; --update-baseline writes one`);
  }

  const standingOut = table.rows.filter(rowStandsOut);
  const report: ConformanceReport = {
    table,
    suite,
    guestKernel: image.kernelRelease,
    perPath: resultsOf(qemu).map((result) => ({ path: result.path, wallMs: result.wallMs, bootMs: result.bootMs, restarts: result.restarts, counts: verdictCounts(table, result.path) })),
    decoded: standingOut.map((row) => decodeRow(row, sequencesOf(row.test, resultsOf(qemu)))),
    findings: await findingsOf(table, standingOut, resultsOf(qemu), options, qemu),
    changed,
  };
  writeFileSync(join(options.out, 'conformance.md'), conformanceMarkdown(report));
  writeFileSync(join(options.out, 'conformance.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, 'conformance.junit.xml'), conformanceJunit(report));
  for (const line of summaryLines(report)) console.log(line);
  console.log(`wrote ${['conformance.md', 'conformance.json', 'conformance.junit.xml', 'logs/', ...(report.findings.length ? ['cases/'] : [])].map((name) => join(resolve(options.out), name)).join(', ')}`);
  return changed && changed.rows.length > 0 ? 1 : 0;
};
