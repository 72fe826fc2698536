import { flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, wholeBytes } from '../layout/field-place';
import { modePageNames, pageControlNames } from '../data-in/mode/mode-page-names';
import { hexByte, Opcode } from './opcode';

const pageFields = {
  dbd: flag('DBD', 1, 3),
  pageControl: number('PC', bitsIn(2, 7, 2), { names: pageControlNames }),
  pageCode: number('PAGE CODE', bitsIn(2, 5, 6), { names: modePageNames }),
  subpageCode: number('SUBPAGE CODE', wholeBytes(3, 1), { notation: 'hex' }),
};

/** MODE SENSE (6) (SPC-5). */
export const modeSense6Layout = defineCommand({
  name: 'MODE SENSE (6)',
  opcode: Opcode.modeSense6,
  length: 6,
  direction: 'from-device',
  fields: { ...pageFields, allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(4, 1))) },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  familyMember: ({ pageCode }) => hexByte(pageCode),
});

/** MODE SENSE (10) (SPC-5): LLBAA lets the device return long LBA block descriptors. */
export const modeSense10Layout = defineCommand({
  name: 'MODE SENSE (10)',
  opcode: Opcode.modeSense10,
  length: 10,
  direction: 'from-device',
  fields: { llbaa: flag('LLBAA', 1, 4), ...pageFields, allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(7, 2))) },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  familyMember: ({ pageCode }) => hexByte(pageCode),
});

export const modeSense6 = encoderFor(modeSense6Layout);
export const modeSense10 = encoderFor(modeSense10Layout);
