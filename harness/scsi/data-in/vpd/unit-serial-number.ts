import { DecodeNotes } from '../../_internals/decode-notes';
import { VpdHeader, describeVpdPage, frameVpdPage } from './vpd-page';

/** Unit Serial Number (SPC-5): ASCII, which SPC lets the device right-align with leading spaces. */
export interface UnitSerialNumber extends DecodeNotes {
  readonly kind: 'unit serial number';
  readonly header: VpdHeader;
  readonly serialNumber: string;
}

export const decodeUnitSerialNumber = (bytes: Uint8Array): UnitSerialNumber => {
  const frame = frameVpdPage(bytes, 0x80);
  const serialNumber = frame.page.subarray(4).toString('latin1');
  const problems = [...frame.problems];
  if (!/^[\x20-\x7e]*$/.test(serialNumber)) problems.push('PRODUCT SERIAL NUMBER is not printable ASCII');
  return { kind: 'unit serial number', header: frame.header, serialNumber: serialNumber.trim(), truncated: frame.truncated, problems };
};

export const describeUnitSerialNumber = (page: UnitSerialNumber): string =>
  describeVpdPage(page.header, [['PRODUCT SERIAL NUMBER', JSON.stringify(page.serialNumber)]], page);
