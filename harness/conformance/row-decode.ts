import { PathId } from '../qemu/topology';
import { decodeCdb } from '../scsi/decode-cdb';
import { describeOutcome } from '../scsi/outcome';
import { sgIoAnswer } from '../guest/sg-io-delivery';
import { LoggedCommand } from './logged-command';
import { ConformanceRow } from './conformance-table';

/** One command of a test, by its place in the test's sequence, as each path that sent it saw it answered. */
export interface CommandAcrossPaths {
  /** 1-based, as a case file's steps count. */
  readonly step: number;
  /** Per path, the command's name and CDB there: the same on every path unless the test branched. */
  readonly commands: Readonly<Record<PathId, string>>;
  readonly answers: Readonly<Record<PathId, string>>;
}

/**
 * What a row's test sent and what came back, where the paths part: the first command whose answer (status,
 * sense, host status, residual) or whose CDB differs between paths, else the last command the test sent
 * where it failed, the one its failed check most likely judged.
 */
export interface DecodedRow {
  readonly test: string;
  readonly commandCounts: Readonly<Record<PathId, number>>;
  readonly telling?: CommandAcrossPaths;
}

const named = (logged: LoggedCommand): string => `${decodeCdb(logged.cdb).name} ${logged.cdb.toString('hex')}`;

const answered = (logged: LoggedCommand): string => `${describeOutcome(sgIoAnswer(logged.answer))}, residual ${logged.answer.residual}`;

const acrossPaths = (index: number, sequences: ReadonlyMap<PathId, readonly LoggedCommand[]>): CommandAcrossPaths => {
  const commands: Record<PathId, string> = {};
  const answers: Record<PathId, string> = {};
  for (const [path, sequence] of sequences) {
    const logged = sequence[index];
    commands[path] = logged ? named(logged) : '(none: the test sent fewer commands here)';
    answers[path] = logged ? answered(logged) : '–';
  }
  return { step: index + 1, commands, answers };
};

const differs = (values: Readonly<Record<PathId, string>>): boolean => new Set(Object.values(values)).size > 1;

export const decodeRow = (row: ConformanceRow, sequences: ReadonlyMap<PathId, readonly LoggedCommand[]>): DecodedRow => {
  const commandCounts = Object.fromEntries([...sequences].map(([path, sequence]) => [path, sequence.length]));
  const longest = Math.max(0, ...[...sequences.values()].map((sequence) => sequence.length));
  for (let index = 0; index < longest; index++) {
    const step = acrossPaths(index, sequences);
    if (sequences.size > 1 && (differs(step.commands) || differs(step.answers))) return { test: row.test, commandCounts, telling: step };
  }
  const failing = [...sequences].find(([path, sequence]) => row.verdicts[path] === 'fail' && sequence.length > 0);
  return failing ? { test: row.test, commandCounts, telling: acrossPaths(failing[1].length - 1, sequences) } : { test: row.test, commandCounts };
};
