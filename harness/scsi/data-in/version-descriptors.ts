import { hex } from '../_internals/hex';

/**
 * VERSION DESCRIPTOR codes by standard (SPC-5): each standard owns 32 codes, the first for "no
 * version claimed" and the rest for its revisions, so the code less its low five bits names the standard.
 */
const standardsByBase: Readonly<Record<number, string>> = {
  0x0020: 'SAM',
  0x0040: 'SAM-2',
  0x0060: 'SAM-3',
  0x0080: 'SAM-4',
  0x00a0: 'SAM-5',
  0x00c0: 'SAM-6',
  0x0120: 'SPC',
  0x0180: 'SBC',
  0x0260: 'SPC-2',
  0x0300: 'SPC-3',
  0x0320: 'SBC-2',
  0x0460: 'SPC-4',
  0x04c0: 'SBC-3',
  0x05c0: 'SPC-5',
  0x0600: 'SBC-4',
  0x0620: 'ZBC',
  0x06c0: 'SBC-5',
  0x06e0: 'SPC-6',
  0x0960: 'iSCSI',
  0x0ae0: 'SPI-2',
  0x0b00: 'SPI-3',
  0x0b40: 'SPI-4',
  0x0b60: 'SPI-5',
  0x0be0: 'SAS',
  0x0c00: 'SAS-1.1',
  0x0c20: 'SAS-2',
  0x0c40: 'SAS-2.1',
  0x0c60: 'SAS-3',
  0x0d20: 'FC-PH',
  0x1740: 'UAS',
  0x1780: 'UAS-2',
  0x1ea0: 'SAT',
  0x1ec0: 'SAT-2',
  0x1ee0: 'SAT-3',
  0x1f00: 'SAT-4',
  0x1f20: 'SAT-5',
  0x20a0: 'SPL',
  0x20c0: 'SPL-2',
  0x20e0: 'SPL-3',
};

/** `SPC-4 (0460h)`, `SBC-3, revision 1Ch (04DCh)`, or the code alone when the standard is not one named here. */
export const versionDescriptorName = (code: number): string => {
  const standard = standardsByBase[code & ~0x1f];
  if (!standard) return hex(code, 4);
  return (code & 0x1f) === 0 ? `${standard} (${hex(code, 4)})` : `${standard}, revision ${hex(code & 0x1f)} (${hex(code, 4)})`;
};
