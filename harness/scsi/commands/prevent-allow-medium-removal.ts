import { number } from '../layout/field';
import { defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn } from '../layout/field-place';
import { Opcode } from './opcode';

/** PREVENT ALLOW MEDIUM REMOVAL (SBC-4). */
export const preventAllowMediumRemovalLayout = defineCommand({
  name: 'PREVENT ALLOW MEDIUM REMOVAL',
  opcode: Opcode.preventAllowMediumRemoval,
  length: 6,
  direction: 'none',
  fields: {
    prevent: number('PREVENT', bitsIn(4, 1, 2), {
      names: { 0: 'medium removal allowed', 1: 'medium removal prevented', 2: 'obsolete', 3: 'obsolete' },
    }),
  },
  transfer: () => noData,
});

export const preventAllowMediumRemoval = encoderFor(preventAllowMediumRemovalLayout);
