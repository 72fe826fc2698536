import { Case } from '../case/case-types';
import { CaseRun } from '../execute/case-run';
import { Divergence } from '../diff/divergence';
import { Signature } from './signature';

/** A divergence worth a file: its signature, and the (shrunk) case and run that show it. */
export interface Finding {
  readonly signature: Signature;
  readonly divergence: Divergence;
  readonly case: Case;
  readonly run: CaseRun;
}

export const findingOf = (divergence: Divergence, signature: Signature, run: CaseRun, provenance: Case['provenance']): Finding => ({
  signature,
  divergence,
  case: {
    ...run.case,
    provenance: { ...run.case.provenance, ...provenance, signature: signature.text, createdAt: new Date().toISOString() },
  },
  run,
});
