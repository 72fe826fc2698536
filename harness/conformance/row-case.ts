import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { ConformanceRow } from './conformance-table';
import { LoggedCommand, replayableCommand } from './logged-command';

/** Where a row's case comes from: the path it failed on first, else the first that sent anything. */
export const casePathOf = (row: ConformanceRow, sequences: ReadonlyMap<PathId, readonly LoggedCommand[]>): PathId | undefined => {
  const sent = [...sequences].filter(([, sequence]) => sequence.length > 0);
  return (sent.find(([path]) => row.verdicts[path] === 'fail') ?? sent[0])?.[0];
};

export interface TestCommands {
  /** `Suite.Test`. */
  readonly test: string;
  /** The path the test sent them on. */
  readonly from: PathId;
  readonly commands: readonly LoggedCommand[];
  /** What the suite sent to learn the device before its first test, where the case starts with it. */
  readonly preamble?: readonly LoggedCommand[];
  readonly qemuVersion: string;
  /** What the table says of the test per path, for the case's note. */
  readonly verdicts?: Readonly<Record<PathId, string>>;
}

/**
 * The commands one path's run of a test sent, as a case on `paths` (absent: the default topology's): replayed,
 * it shows what each path answers them now, judged as a campaign judges, and it shrinks, bisects and seeds a
 * corpus like any case.
 */
export const caseOfTest = (sent: TestCommands, paths?: readonly PathId[]): Case => {
  const verdicts = sent.verdicts ? ` (${Object.entries(sent.verdicts).map(([path, verdict]) => `${path} ${verdict}`).join(', ')})` : '';
  return {
    ...(paths ? { paths } : {}),
    provenance: {
      qemuVersion: sent.qemuVersion,
      createdAt: new Date().toISOString(),
      note: `libiscsi iscsi-test-cu SCSI.${sent.test} as sent on ${sent.from}${sent.preamble ? `, after the ${sent.preamble.length} commands the suite sends first` : ''}${verdicts}`,
    },
    steps: [...(sent.preamble ?? []), ...sent.commands].flatMap((logged) => {
      const command = replayableCommand(logged);
      return command ? [{ kind: 'command' as const, command }] : [];
    }),
  };
};
