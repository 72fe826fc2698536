import { Case } from '../case/case-types';

export type UpstreamVerdict = 'reproduces' | 'gone';

/** A cause known to diverge on one QEMU version: why, where, and the (shrunk) case that shows it. */
export interface BaselineEntry {
  readonly signature: string;
  readonly text: string;
  /** One line by a person: what is believed to cause it, or that nobody has looked yet. */
  readonly reason: string;
  /** Where in QEMU's (or the target's) source the cause lies, where a person or QEMU's trace has placed it. */
  readonly location?: string;
  /** Per other QEMU version, whether the case still shows the cause there: `10.0.13: gone` means current QEMU fixed it. */
  readonly upstream?: Readonly<Record<string, UpstreamVerdict>>;
  /** The case file, relative to the baseline's directory. */
  readonly caseFile: string;
  readonly case: Case;
}

export interface Baseline {
  readonly file: string;
  readonly qemuVersion: string;
  readonly packageVersion?: string;
  readonly entries: readonly BaselineEntry[];
}

/** What a campaign's signatures say against a baseline: the new ones fail a run, the others do not. */
export interface BaselineVerdict {
  readonly known: readonly string[];
  readonly unknown: readonly string[];
}

export const judgeAgainstBaseline = (baseline: Baseline, signatureIds: Iterable<string>): BaselineVerdict => {
  const known = new Set(baseline.entries.map((entry) => entry.signature));
  const seen = [...new Set(signatureIds)];
  return { known: seen.filter((id) => known.has(id)), unknown: seen.filter((id) => !known.has(id)) };
};
