import { LoggedCommand, parseSgioLine, SGIO_LINE_MARKER } from './logged-command';
import { Verdict } from './verdict';

/** One test as a run of iscsi-test-cu reported it on one path, with the commands it sent there. */
export interface TestRecord {
  /** `Suite.Test`, as the suite lists it under its SCSI family. */
  readonly test: string;
  readonly verdict: Verdict;
  /** The lines that say why: its [FAILED], [FAILURE], [SKIPPED] and [WARNING] messages and CUnit's failed assertions. */
  readonly notes: readonly string[];
  readonly commands: readonly LoggedCommand[];
}

const SUITE_LINE = /^Suite: (\S+)$/;
const TEST_LINE = /^ {2}Test: (\S+) \.\.\.(.*)$/;
const RESULT = /^(passed|FAILED)$/;
const ASSERTION_LINE = /^ {4}\d+\. \S+:\d+ /;
const NOTE = /\[(FAILED|FAILURE|SKIPPED|WARNING)\]/;
/**
 * Skips that say the test needs what SG_IO never gives, an iSCSI backend or a second path to the LUN: not
 * applicable. The Async tests' silent "[SKIPPED] Non-iSCSI" counts as a skip, as their own log has it.
 */
const NEEDS_ISCSI = /only supported for iSCSI|Multipath unavailable|second initiator/i;

interface OpenTest {
  test: string;
  notes: string[];
  commands: LoggedCommand[];
  result?: 'passed' | 'FAILED';
}

const verdictOf = (open: OpenTest): Verdict => {
  if (open.result === undefined) return 'error';
  if (open.result === 'FAILED') return 'fail';
  const skipped = open.notes.filter((note) => note.includes('[SKIPPED]'));
  if (skipped.some((note) => NEEDS_ISCSI.test(note))) return 'n/a';
  return skipped.length > 0 ? 'skip' : 'pass';
};

/** One run of iscsi-test-cu, read. */
export interface SuiteLog {
  /** What the program sent before its first test, to learn the device (INQUIRY, READ CAPACITY, VPD and mode pages). */
  readonly preamble: readonly LoggedCommand[];
  readonly records: readonly TestRecord[];
}

/**
 * The tests of iscsi-test-cu's verbose (-v) output, with guests/sgio-log's lines among them, in order. A test
 * whose result line never came (the program died or its output was cut) is reported with verdict `error`.
 */
export const parseSuiteLog = (output: string): SuiteLog => {
  const preamble: LoggedCommand[] = [];
  const records: TestRecord[] = [];
  let suite: string | undefined;
  let open: OpenTest | undefined;
  const close = () => {
    if (open) records.push({ test: open.test, verdict: verdictOf(open), notes: open.notes, commands: open.commands });
    open = undefined;
  };
  const take = (text: string) => {
    if (!open) return;
    const trimmed = text.trim();
    if (RESULT.test(trimmed) && open.result === undefined) {
      open.result = trimmed as OpenTest['result'];
      return;
    }
    if (NOTE.test(text) || (open.result === 'FAILED' && ASSERTION_LINE.test(text))) open.notes.push(trimmed);
  };
  // CUnit ends "  Test: Name ..." with no newline, so the test's first SG_IO line follows on the same line.
  const lines = output.split('\n').flatMap((line) => {
    const marker = line.indexOf(SGIO_LINE_MARKER);
    return marker > 0 ? [line.slice(0, marker), line.slice(marker)] : [line];
  });
  for (const line of lines) {
    if (line.startsWith(SGIO_LINE_MARKER)) {
      if (suite === undefined) preamble.push(parseSgioLine(line));
      else if (open && open.result === undefined) open.commands.push(parseSgioLine(line));
      continue;
    }
    const suiteMatch = SUITE_LINE.exec(line);
    const testMatch = TEST_LINE.exec(line);
    if (suiteMatch || testMatch || line.startsWith('Run Summary:')) close();
    if (suiteMatch) suite = suiteMatch[1];
    else if (testMatch && suite !== undefined) {
      open = { test: `${suite}.${testMatch[1]}`, notes: [], commands: [] };
      take(testMatch[2]);
    } else take(line);
  }
  close();
  return { preamble, records };
};
