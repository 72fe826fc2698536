import { PathId } from '../qemu/topology';

/** What two paths may disagree on (the names the case-replay report uses). */
export type DivergenceField =
  | 'status'
  | 'hostStatus'
  | 'sense'
  | 'residual'
  | 'data'
  | 'kernelLog'
  | 'content'
  | 'crash'
  | 'hang'
  | 'target';

export const commandFields = ['status', 'hostStatus', 'sense', 'residual', 'data', 'kernelLog'] as const satisfies readonly DivergenceField[];

/**
 * Two paths that answered one step differently, in one field, with printable `values` in `paths` order; or,
 * for `crash` and `hang`, the paths whose guest failed while the step was in flight, with what was seen, and
 * for `target`, the paths whose target (tgtd) failed;
 * or (`model` set) one path whose answer departs from the reference model's, `values` being the model's
 * then the path's.
 */
export interface Divergence {
  /** The step, or for `content` the number of steps (the content after the last one). */
  readonly step: number;
  readonly field: DivergenceField;
  readonly paths: readonly PathId[];
  readonly values: readonly string[];
  readonly model?: ModelDeparture;
}

/** What makes a divergence a departure from the reference model: the requirement, and the model's answers. */
export interface ModelDeparture {
  /** The id of the standard's requirement the path departs from (harness/model/requirement.ts). */
  readonly requirement: string;
  /** Per step up to the departure, the model's answer, for the report's model column. */
  readonly answers: readonly string[];
}
