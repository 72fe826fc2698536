import { DecodeNotes } from '../../_internals/decode-notes';
import { hexBytes } from '../../_internals/hex';
import { BlockDeviceCharacteristics, decodeBlockDeviceCharacteristics, describeBlockDeviceCharacteristics } from './block-device-characteristics';
import { BlockLimits, decodeBlockLimits, describeBlockLimits } from './block-limits';
import { DeviceIdentification, decodeDeviceIdentification, describeDeviceIdentification } from './device-identification';
import { ExtendedInquiryData, decodeExtendedInquiryData, describeExtendedInquiryData } from './extended-inquiry-data';
import { LogicalBlockProvisioning, decodeLogicalBlockProvisioning, describeLogicalBlockProvisioning } from './logical-block-provisioning';
import { SupportedVpdPages, decodeSupportedVpdPages, describeSupportedVpdPages } from './supported-vpd-pages';
import { UnitSerialNumber, decodeUnitSerialNumber, describeUnitSerialNumber } from './unit-serial-number';
import { VpdHeader, describeVpdPage, frameVpdPage } from './vpd-page';

/** A page this layer does not take apart: its header and the bytes after it. */
export interface OtherVpdPage extends DecodeNotes {
  readonly kind: 'other';
  readonly header: VpdHeader;
  readonly body: Buffer;
}

export type VpdPage =
  | SupportedVpdPages
  | UnitSerialNumber
  | DeviceIdentification
  | ExtendedInquiryData
  | BlockLimits
  | BlockDeviceCharacteristics
  | LogicalBlockProvisioning
  | OtherVpdPage;

const decoders: Readonly<Record<number, (bytes: Uint8Array) => VpdPage>> = {
  0x00: decodeSupportedVpdPages,
  0x80: decodeUnitSerialNumber,
  0x83: decodeDeviceIdentification,
  0x86: decodeExtendedInquiryData,
  0xb0: decodeBlockLimits,
  0xb1: decodeBlockDeviceCharacteristics,
  0xb2: decodeLogicalBlockProvisioning,
};

/** Decodes whichever page the bytes say they are (byte 1, PAGE CODE). */
export const decodeVpdPage = (bytes: Uint8Array): VpdPage => {
  const decoder = decoders[bytes[1] ?? -1];
  if (decoder) return decoder(bytes);
  const frame = frameVpdPage(bytes, bytes[1] ?? 0);
  return { kind: 'other', header: frame.header, body: frame.page.subarray(4), truncated: frame.truncated, problems: frame.problems };
};

export const describeVpd = (page: VpdPage): string => {
  switch (page.kind) {
    case 'supported VPD pages':
      return describeSupportedVpdPages(page);
    case 'unit serial number':
      return describeUnitSerialNumber(page);
    case 'device identification':
      return describeDeviceIdentification(page);
    case 'extended INQUIRY data':
      return describeExtendedInquiryData(page);
    case 'block limits':
      return describeBlockLimits(page);
    case 'block device characteristics':
      return describeBlockDeviceCharacteristics(page);
    case 'logical block provisioning':
      return describeLogicalBlockProvisioning(page);
    case 'other':
      return describeVpdPage(page.header, [['page bytes', hexBytes(page.body) || 'none']], page);
  }
};
