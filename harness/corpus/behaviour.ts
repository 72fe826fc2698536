import { compareRuns } from '../diff/compare-runs';
import { hostStatusValue, senseValue, statusValue } from '../diff/field-values';
import { Policy } from '../diff/policy';
import { residualClass } from '../findings/residual-class';
import { CaseRun } from '../execute/case-run';
import { StepOutcome } from '../execute/step-outcome';
import { failureSignature, pairSignature, stepScope } from '../findings/signature';
import { pathKind } from '../findings/path-sides';

/**
 * One thing a case made a path do, or made two paths disagree on, as a corpus counts it. `command` is the
 * step as a signature names it (opcode, with the page or service action where the command scope has one;
 * `reset-<kind>`, `host-<event>`; `after` for the content after the last step), `path` the kind of path (`#2` is its first).
 */
export type Behaviour =
  | {
      readonly kind: 'answer';
      readonly command: string;
      readonly path: string;
      readonly status: string;
      readonly transport: string;
      readonly sense: string;
      readonly residual: string;
    }
  | { readonly kind: 'reset' | 'host'; readonly command: string; readonly path: string; readonly status: string }
  | { readonly kind: 'divergence'; readonly command: string; readonly field: string; readonly paths: string; readonly signature: string };

/** A behaviour's identity: its fields in the order they were built, which every constructor here fixes. */
export type BehaviourKey = string;

export const behaviourKey = (behaviour: Behaviour): BehaviourKey => JSON.stringify(behaviour);

const outcomeBehaviour = (run: CaseRun, step: number, path: string, outcome: StepOutcome): Behaviour | undefined => {
  const command = stepScope(run, step);
  if (outcome.kind !== 'command') return outcome.skipped ? undefined : { kind: outcome.kind, command, path, status: outcome.delivery.completion };
  return {
    kind: 'answer',
    command,
    path,
    status: statusValue(outcome),
    transport: hostStatusValue(outcome),
    sense: senseValue(outcome),
    residual: residualClass(outcome.residual, outcome.command.length),
  };
};

/**
 * What a run did, as distinct behaviours: each path's answer to each step, and each divergence the policy
 * does not explain, by its signature. Two runs with the same behaviours tell a corpus nothing different.
 */
export const behavioursOf = (run: CaseRun, policy: Policy): Behaviour[] => {
  const answers = run.runs.flatMap((pathRun) =>
    pathRun.outcomes.map((outcome, step) => outcomeBehaviour(run, step, pathKind(pathRun.path), outcome)),
  );
  const divergences = compareRuns(run, policy).map(
    (divergence): Behaviour => ({
      kind: 'divergence',
      command: stepScope(run, divergence.step),
      field: divergence.field,
      paths: [...new Set(divergence.paths.map(pathKind))].sort().join('~'),
      signature: (divergence.field === 'crash' || divergence.field === 'hang' || divergence.field === 'target' ? failureSignature : pairSignature)(divergence, run).text,
    }),
  );
  const distinct = new Map<BehaviourKey, Behaviour>();
  for (const behaviour of [...answers, ...divergences]) if (behaviour) distinct.set(behaviourKey(behaviour), behaviour);
  return [...distinct.values()];
};
