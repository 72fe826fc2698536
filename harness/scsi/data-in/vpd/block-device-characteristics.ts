import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { fixedVpdPage } from './vpd-page';

/** Block Device Characteristics (SBC-4). */
const blockDeviceCharacteristicsFields = {
  // 0401h-FFFEh are revolutions per minute.
  mediumRotationRate: number('MEDIUM ROTATION RATE', wholeBytes(4, 2), {
    notation: 'decimal',
    names: { 0x0000: 'not reported', 0x0001: 'non-rotating medium' },
  }),
  productType: number('PRODUCT TYPE', wholeBytes(6, 1), {
    names: {
      0x00: 'not indicated',
      0x01: 'CFast',
      0x02: 'CompactFlash',
      0x03: 'Memory Stick',
      0x04: 'MultiMediaCard',
      0x05: 'Secure Digital Card',
      0x06: 'XQD',
      0x07: 'Universal Flash Storage',
    },
  }),
  wabereq: number('WABEREQ', bitsIn(7, 7, 2)),
  wacereq: number('WACEREQ', bitsIn(7, 5, 2)),
  nominalFormFactor: number('NOMINAL FORM FACTOR', bitsIn(7, 3, 4), {
    names: { 0x0: 'not reported', 0x1: '5.25 inch', 0x2: '3.5 inch', 0x3: '2.5 inch', 0x4: '1.8 inch', 0x5: 'less than 1.8 inch' },
    othersReserved: true,
  }),
  zoned: number('ZONED', bitsIn(8, 5, 2), { names: { 0: 'not reported', 1: 'host aware', 2: 'device managed' }, othersReserved: true }),
  fuab: flag('FUAB', 8, 1),
  vbuls: flag('VBULS', 8, 0),
};

const page = fixedVpdPage('block device characteristics', 0xb1, 0x3c, blockDeviceCharacteristicsFields);
export const decodeBlockDeviceCharacteristics = page.decode;
export const describeBlockDeviceCharacteristics = page.describe;
export type BlockDeviceCharacteristics = ReturnType<typeof decodeBlockDeviceCharacteristics>;
