import { RunJudge } from '../diff/run-judge';
import { Executor } from '../execute/executor';
import { causesOf } from '../findings/causes';
import { Signature } from '../findings/signature';
import { topologyFor } from '../session/case-topology';
import { Baseline, BaselineEntry } from './baseline';

/**
 * What became of a guest-level cause one layer down: it `reproduces` there (QEMU's, whatever driver framed the
 * command), it `vanishes` (the guest's: its kernel's messages, its driver's framing or error handling), or
 * its case names an HBA no frame driver speaks.
 */
export type FrameLevelVerdict =
  | { readonly entry: BaselineEntry; readonly verdict: 'reproduces' | 'vanishes'; readonly frameCauses: readonly Signature[] }
  | { readonly entry: BaselineEntry; readonly verdict: 'no frame driver'; readonly hbas: readonly string[] };

/** Runs each entry's case at frame level once and sorts its cause by whether the frame-level run shows it too. */
export const replayAtFrameLevel = async (
  baseline: Baseline,
  executor: Executor,
  judge: RunJudge,
  frameLevelModels: readonly string[],
  onEntry: (verdict: FrameLevelVerdict) => void,
): Promise<FrameLevelVerdict[]> => {
  const verdicts: FrameLevelVerdict[] = [];
  for (const entry of baseline.entries) {
    const hbas = [...new Set(topologyFor(entry.case).hbas.map((hba) => hba.model))];
    const missing = hbas.filter((hba) => !frameLevelModels.includes(hba));
    let verdict: FrameLevelVerdict;
    if (missing.length > 0) verdict = { entry, verdict: 'no frame driver', hbas: missing };
    else {
      const run = await executor.run(entry.case);
      const frameCauses = causesOf(judge(run), run).map((signed) => signed.signature);
      verdict = { entry, verdict: frameCauses.some((cause) => cause.id === entry.signature) ? 'reproduces' : 'vanishes', frameCauses };
    }
    verdicts.push(verdict);
    onEntry(verdict);
  }
  return verdicts;
};
