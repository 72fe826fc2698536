import { Case } from '../case/case-types';
import { StoredFinding } from '../findings/read-findings';
import { isSmaller } from '../shrink/case-size';
import { Baseline, BaselineEntry } from './baseline';
import { BaselineReplay } from './replay-baseline';

export interface BaselineChanges {
  readonly entries: readonly BaselineEntry[];
  readonly added: readonly BaselineEntry[];
  /** Known entries the campaign saw again, or whose case still shows them. */
  readonly kept: readonly BaselineEntry[];
  /** Known entries the campaign did not see and whose case no longer shows them. */
  readonly dropped: readonly BaselineEntry[];
}

/** Marks an entry no person has explained yet; `baseline update` lists them so that one does. */
export const unexplained = 'unexplained: found by a campaign, cause not yet looked into';

const caseFileOf = (qemuVersion: string, signature: string): string => `${qemuVersion}/${signature}.json`;

const smaller = (a: Case, b: Case): Case => (isSmaller(b, a) ? b : a);

/**
 * The next baseline from the last one, the findings a campaign wrote, every signature it saw (known ones
 * are seen but not written), and a replay of the known entries it did not see: every signature seen is in
 * it, with its old reason and the smallest case known; an entry neither seen nor reproduced is dropped as
 * fixed; a new one comes in marked unexplained.
 */
export const updateBaseline = (old: Baseline, found: readonly StoredFinding[], seen: ReadonlySet<string>, replay: BaselineReplay): BaselineChanges => {
  // Several findings directories may each hold the same signature: one entry, with the smallest case.
  const written = new Map<string, StoredFinding>();
  for (const finding of found) {
    const other = written.get(finding.signature);
    written.set(finding.signature, other && !isSmaller(finding.case, other.case) ? other : finding);
  }
  const stillThere = (signature: string) => seen.has(signature) || written.has(signature) || replay.reproduced.some((entry) => entry.signature === signature);
  const kept = old.entries.filter((entry) => stillThere(entry.signature)).map((entry): BaselineEntry => {
    const again = written.get(entry.signature);
    return again ? { ...entry, case: smaller(entry.case, again.case) } : entry;
  });
  const dropped = old.entries.filter((entry) => !stillThere(entry.signature));
  const known = new Set(old.entries.map((entry) => entry.signature));
  const added = [...written.values()]
    .filter((finding) => !known.has(finding.signature))
    .map((finding): BaselineEntry => ({
      signature: finding.signature,
      text: finding.text,
      reason: unexplained,
      ...(finding.location !== undefined && { location: finding.location }),
      caseFile: caseFileOf(old.qemuVersion, finding.signature),
      case: finding.case,
    }));
  const entries = [...kept, ...added].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { entries, added, kept, dropped };
};
