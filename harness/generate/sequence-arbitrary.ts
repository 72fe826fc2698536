import fc from 'fast-check';
import { CaseStep } from '../case/case-types';
import { resetKinds } from '../scsi/reset-kind';
import { commandArbitrary } from './command-arbitrary';
import { DiskGeometry } from './disk-geometry';


/**
 * A short sequence of steps: mostly commands, now and then a reset, whose unit attentions the commands
 * after it meet. Resets are rare because a host reset is slow: megaraid_sas's holds the ioctl for the guest
 * kernel's 10 s settle, as long as a few hundred cases. Short, because a divergence is easier to read in few steps.
 */
export const sequenceArbitrary = (geometry: DiskGeometry, maxSteps = 6): fc.Arbitrary<CaseStep[]> =>
  fc.array(
    fc.oneof(
      { weight: 30, arbitrary: commandArbitrary(geometry).map((command): CaseStep => ({ kind: 'command', command })) },
      { weight: 1, arbitrary: fc.constantFrom(...resetKinds).map((reset): CaseStep => ({ kind: 'reset', reset })) },
    ),
    { minLength: 1, maxLength: maxSteps },
  );
