import fc from 'fast-check';
import { CaseStep } from '../case/case-types';
import { ResetKind } from '../guest/messages';
import { commandArbitrary } from './command-arbitrary';
import { DiskGeometry } from './disk-geometry';

const resetKinds: readonly ResetKind[] = ['device', 'target', 'bus', 'host'];

/**
 * A short sequence of steps: mostly commands, now and then a reset, whose unit attentions the commands
 * after it meet. Resets are rare because they are slow: a megaraid_sas host reset is a controller reset
 * that takes the guest seconds under TCG. Short, because a divergence is easier to read in few steps and each case costs a round
 * trip per batch.
 */
export const sequenceArbitrary = (geometry: DiskGeometry, maxSteps = 6): fc.Arbitrary<CaseStep[]> =>
  fc.array(
    fc.oneof(
      { weight: 30, arbitrary: commandArbitrary(geometry).map((command): CaseStep => ({ kind: 'command', command })) },
      { weight: 1, arbitrary: fc.constantFrom(...resetKinds).map((reset): CaseStep => ({ kind: 'reset', reset })) },
    ),
    { minLength: 1, maxLength: maxSteps },
  );
