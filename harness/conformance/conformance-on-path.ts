import { AgentClosed, AgentTimeout } from '../guest/agent-client';
import { conformanceSuiteInImage, sgioLogInImage } from '../guest/image';
import { QemuExited } from '../qemu/machine-exit';
import { settlesWithin } from '../process/within';
import { PathId, Topology } from '../qemu/topology';
import { GuestSession, SessionOptions } from '../session/guest-session';
import { LoggedCommand, SGIO_DATA_OUT_ENV, SGIO_MAX_TIMEOUT_ENV } from './logged-command';
import { runsOf, SCSI_FAMILY, SuiteSelection } from './suite-catalog';
import { parseSuiteLog, TestRecord } from './suite-log';

/** A suite running longer than this on one path is taken for hung: all 47 of a default path take about a minute here. */
export const suiteDeadlineMs = 10 * 60_000;

/** One path of the table, and the guest that has it alone: one HBA, one disk. */
export interface ConformanceTarget {
  readonly path: PathId;
  readonly topology: Topology;
}

export interface PathConformance {
  readonly path: PathId;
  /** Every chosen test, in the suite's order. */
  readonly records: readonly TestRecord[];
  /** Boot of the first guest to the last test's end. */
  readonly wallMs: number;
  readonly bootMs: number;
  /** Guests booted again after one hung or died in a suite. */
  readonly restarts: number;
  /** What the suite printed, run after run: the verbose log the rows are decoded from. */
  readonly log: string;
}

export interface PathRunOptions extends Pick<SessionOptions, 'qemu' | 'accelerator'> {
  readonly selections: readonly SuiteSelection[];
  /** A suite that runs longer is taken for hung: its guest is stopped and its tests are errors. */
  readonly suiteDeadlineMs: number;
  readonly onSuite?: (path: PathId, tests: number) => void;
}

/** One run of the suite in the guest, under the SG_IO log, with the data-out too where asked. */
const runSuite = async (session: GuestSession, test: string, withDataOut: boolean): Promise<string> => {
  const argv = [conformanceSuiteInImage, '--dataloss', test, session.paths[0].device.sgNode];
  const result = await session.agent.run({ argv, env: [`LD_PRELOAD=${sgioLogInImage}`, SGIO_MAX_TIMEOUT_ENV, ...(withDataOut ? [SGIO_DATA_OUT_ENV] : [])] });
  const output = result.output.toString('latin1');
  // Cut short, the output's last line may be half an SG_IO line: the tests it holds end at the last whole one.
  return result.truncated ? output.slice(0, output.lastIndexOf('\n') + 1) : output;
};

class SuiteDeadline extends Error {
  override readonly name = 'SuiteDeadline';
}

const withinDeadline = async <T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> => {
  if (!(await settlesWithin(work, deadlineMs))) throw new SuiteDeadline(`${what} did not finish in ${deadlineMs / 1000} s`);
  return work;
};

/** What a suite that hangs the guest, or kills it, ends in. */
const guestLost = (error: unknown): error is Error =>
  error instanceof SuiteDeadline || error instanceof AgentTimeout || error instanceof AgentClosed || error instanceof QemuExited;

const unreported = (selection: SuiteSelection, records: readonly TestRecord[], why: string): TestRecord[] =>
  selection.tests
    .filter((test) => !records.some((record) => record.test === test))
    .map((test) => ({ test, verdict: 'error' as const, notes: [why], commands: [] }));

/**
 * libiscsi's SCSI tests on one path, suite by suite, in a guest of its own on a fresh disk, each run under
 * guests/sgio-log so that every test's commands and answers are known. A suite that hangs or kills the
 * guest makes its tests errors, and the next suite gets a fresh guest and disk: the table always ends.
 */
export const conformanceOnPath = async (target: ConformanceTarget, options: PathRunOptions): Promise<PathConformance> => {
  const start = Date.now();
  const boot = () => GuestSession.start({ topology: target.topology, qemu: options.qemu, accelerator: options.accelerator });
  let session = await boot();
  const bootMs = session.bootMs;
  let restarts = 0;
  const records: TestRecord[] = [];
  const log: string[] = [];
  try {
    for (const selection of options.selections) {
      const found: TestRecord[] = [];
      try {
        for (const test of runsOf(selection)) {
          const output = await withinDeadline(runSuite(session, test, false), options.suiteDeadlineMs, `${test.slice('--test='.length)} on ${target.path}`);
          log.push(output);
          found.push(...parseSuiteLog(output).records.filter((record) => selection.tests.includes(record.test)));
        }
        records.push(...found, ...unreported(selection, found, 'the suite ended without reporting it'));
      } catch (error) {
        if (!guestLost(error)) throw error;
        // The guest is gone or hung: what it said is lost with it, and the rest of the table needs another.
        records.push(...found, ...unreported(selection, found, error.message.split('\n')[0]));
        await session.stop();
        session = await boot();
        restarts++;
      }
      options.onSuite?.(target.path, selection.tests.length);
    }
  } finally {
    await session.stop();
  }
  return { path: target.path, records, wallMs: Date.now() - start, bootMs, restarts, log: log.join('') };
};

/** What one run of a test sent: the suite's preamble, then the test's own commands. */
export interface TestCommandsSent {
  readonly preamble: readonly LoggedCommand[];
  readonly commands: readonly LoggedCommand[];
}

/**
 * The commands each test sends on one path, data-out included, each test run alone in one fresh guest: the
 * table's runs leave data-out out of the log, so the tests that become cases are run again for it. A test
 * that hangs or kills the guest there leaves itself and the tests after it without commands, and so without cases.
 */
export const commandsWithDataOut = async (
  target: ConformanceTarget,
  tests: readonly string[],
  options: Pick<PathRunOptions, 'qemu' | 'accelerator' | 'suiteDeadlineMs'>,
): Promise<Map<string, TestCommandsSent>> => {
  const commands = new Map<string, TestCommandsSent>();
  const session = await GuestSession.start({ topology: target.topology, qemu: options.qemu, accelerator: options.accelerator });
  try {
    for (const test of tests) {
      const output = await withinDeadline(runSuite(session, `--test=${SCSI_FAMILY}.${test}`, true), options.suiteDeadlineMs, `${test} on ${target.path}`);
      const log = parseSuiteLog(output);
      commands.set(test, { preamble: log.preamble, commands: log.records.find((record) => record.test === test)?.commands ?? [] });
    }
  } catch (error) {
    if (!guestLost(error)) throw error;
  } finally {
    await session.stop();
  }
  return commands;
};
