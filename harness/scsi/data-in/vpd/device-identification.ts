import { DecodeNotes } from '../../_internals/decode-notes';
import {
  DesignationDescriptor,
  decodeDesignationDescriptors,
  describeDesignationDescriptor,
  identifiesLogicalUnit,
} from './designation-descriptor';
import { VpdHeader, describeVpdPage, frameVpdPage } from './vpd-page';

/** Device Identification (SPC-5). */
export interface DeviceIdentification extends DecodeNotes {
  readonly kind: 'device identification';
  readonly header: VpdHeader;
  readonly descriptors: readonly DesignationDescriptor[];
}

export const decodeDeviceIdentification = (bytes: Uint8Array): DeviceIdentification => {
  const frame = frameVpdPage(bytes, 0x83);
  const { descriptors, cutOff } = decodeDesignationDescriptors(frame.page.subarray(4));
  const problems = [...frame.problems];
  if (cutOff && !frame.truncated) problems.push('the last designation descriptor runs past PAGE LENGTH');
  // SPC-5: at least one descriptor names the logical unit itself.
  if (!frame.truncated && !descriptors.some(identifiesLogicalUnit)) problems.push('no designation descriptor identifies the logical unit');
  // SPC-5: the ASCII code set means printable characters, 20h to 7Eh.
  descriptors.forEach((descriptor, index) => {
    if (descriptor.codeSet === 2 && !/^[\x20-\x7e]*$/.test(descriptor.designator.toString('latin1'))) {
      problems.push(`designator ${index + 1} is ASCII but holds bytes outside 20h-7Eh`);
    }
  });
  return { kind: 'device identification', header: frame.header, descriptors, truncated: frame.truncated || cutOff, problems };
};

export const describeDeviceIdentification = (page: DeviceIdentification): string =>
  describeVpdPage(page.header, page.descriptors.map((descriptor, index) => [`designator ${index + 1}`, describeDesignationDescriptor(descriptor)]), page);
