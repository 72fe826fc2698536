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
  | 'hang';

export const commandFields = ['status', 'hostStatus', 'sense', 'residual', 'data', 'kernelLog'] as const satisfies readonly DivergenceField[];

/**
 * Two paths that answered one step differently, in one field, with printable `values` in `paths` order; or,
 * for `crash` and `hang`, the paths whose guest failed while the step was in flight, with what was seen.
 */
export interface Divergence {
  /** The step, or for `content` the number of steps (the content after the last one). */
  readonly step: number;
  readonly field: DivergenceField;
  readonly paths: readonly PathId[];
  readonly values: readonly string[];
}
