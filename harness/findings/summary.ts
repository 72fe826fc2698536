import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CampaignProgress } from '../campaign/campaign';
import { Signature } from './signature';

/** Whose a cause is: QEMU's, or the target's behind the passthrough paths (tgtd), which is kept apart. */
export type CauseSubject = 'qemu' | 'target';

const subjectOf = (signature: Signature): CauseSubject => (signature.text.startsWith('target:') ? 'target' : 'qemu');

/** One cause a campaign saw, as CI reads it. */
export interface CauseRecord {
  readonly id: string;
  readonly text: string;
  readonly subject: CauseSubject;
  /** Cases that showed it. */
  readonly cases: number;
  /** Whether the baseline of the QEMU under test knows it: a cause it does not know fails the run. */
  readonly known: boolean;
  readonly firstSeed?: number;
  /** Every command and field it was seen through, with how many cases did. */
  readonly seenThrough: readonly { readonly scope: string; readonly field: string; readonly cases: number }[];
  /** Its findings directory, relative to the summary, where one was written (a known cause has none). */
  readonly finding?: string;
  /** For a known cause, what its baseline entry says of newer QEMU releases: `{"10.0.13": "gone"}`. */
  readonly upstream?: Readonly<Record<string, string>>;
}

/** `summary.json` in a findings directory: one record per cause, the new ones first. */
export interface CampaignSummary {
  readonly format: 'hbadiff-summary/1';
  readonly qemuVersion: string;
  readonly seed: number;
  readonly cases: number;
  readonly commands: number;
  readonly elapsedMs: number;
  readonly restarts: number;
  readonly causes: readonly CauseRecord[];
}

export const campaignSummary = (
  progress: CampaignProgress,
  context: {
    readonly qemuVersion: string;
    readonly seed: number;
    readonly known: ReadonlySet<string>;
    readonly written: (id: string) => boolean;
    readonly upstream?: (id: string) => Readonly<Record<string, string>> | undefined;
  },
): CampaignSummary => ({
  format: 'hbadiff-summary/1',
  qemuVersion: context.qemuVersion,
  seed: context.seed,
  cases: progress.cases,
  commands: progress.commands,
  elapsedMs: progress.elapsedMs,
  restarts: progress.restarts,
  causes: [...progress.tallies.values()]
    .map((tally): CauseRecord => ({
      id: tally.signature.id,
      text: tally.signature.text,
      subject: subjectOf(tally.signature),
      cases: tally.count,
      known: context.known.has(tally.signature.id),
      ...(tally.firstSeed !== undefined && { firstSeed: tally.firstSeed }),
      seenThrough: [...tally.seenThrough]
        .map(([key, cases]) => {
          const [scope, field] = key.split(' ');
          return { scope, field, cases };
        })
        .sort((a, b) => b.cases - a.cases || (a.scope < b.scope ? -1 : 1)),
      ...(context.written(tally.signature.id) && { finding: tally.signature.id }),
      ...(context.upstream?.(tally.signature.id) && { upstream: context.upstream(tally.signature.id) }),
    }))
    .sort((a, b) => Number(a.known) - Number(b.known) || b.cases - a.cases),
});

export const summaryFileName = 'summary.json';

/** Writes `summary.json`, and beside each written finding's case the commands and fields its cause was seen through. */
export const writeSummary = (directory: string, summary: CampaignSummary): void => {
  writeFileSync(join(directory, summaryFileName), `${JSON.stringify(summary, null, 2)}\n`);
  for (const cause of summary.causes) {
    if (cause.finding) writeFileSync(join(directory, cause.finding, 'seen-through.json'), `${JSON.stringify(cause.seenThrough, null, 2)}\n`);
  }
};
