import { uintAt } from '../../_internals/byte-fields';
import { hex, hexBytes } from '../../_internals/hex';
import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { FieldValues, readRecord } from '../../layout/record';

/** The header of a designation descriptor (SPC-5), in Device Identification and elsewhere. */
const designationHeaderFields = {
  protocolIdentifier: number('PROTOCOL IDENTIFIER', bitsIn(0, 7, 4), { notation: 'hex' }),
  codeSet: number('CODE SET', bitsIn(0, 3, 4), { names: { 1: 'binary', 2: 'ASCII', 3: 'UTF-8' }, othersReserved: true }),
  piv: flag('PIV', 1, 7),
  association: number('ASSOCIATION', bitsIn(1, 5, 2), { names: { 0: 'logical unit', 1: 'target port', 2: 'target device' }, othersReserved: true }),
  designatorType: number('DESIGNATOR TYPE', bitsIn(1, 3, 4), {
    names: {
      0x0: 'vendor specific',
      0x1: 'T10 vendor ID based',
      0x2: 'EUI-64 based',
      0x3: 'NAA',
      0x4: 'relative target port identifier',
      0x5: 'target port group',
      0x6: 'logical unit group',
      0x7: 'MD5 logical unit identifier',
      0x8: 'SCSI name string',
      0x9: 'protocol specific port identifier',
      0xa: 'UUID identifier',
    },
    othersReserved: true,
  }),
  designatorLength: number('DESIGNATOR LENGTH', wholeBytes(3, 1)),
};

export type DesignationDescriptor = FieldValues<typeof designationHeaderFields> & { readonly designator: Buffer };

export interface DesignationDescriptorList {
  readonly descriptors: readonly DesignationDescriptor[];
  /** The last descriptor runs past the bytes given. */
  readonly cutOff: boolean;
}

export const decodeDesignationDescriptors = (area: Uint8Array): DesignationDescriptorList => {
  const descriptors: DesignationDescriptor[] = [];
  let offset = 0;
  while (offset + 4 <= area.length) {
    const header = readRecord(designationHeaderFields, area.subarray(offset));
    const end = offset + 4 + header.designatorLength;
    descriptors.push({ ...header, designator: Buffer.from(area.subarray(offset + 4, end)) });
    if (end > area.length) return { descriptors, cutOff: true };
    offset = end;
  }
  return { descriptors, cutOff: offset < area.length };
};

/** Designator types that identify a logical unit when their association says so (SPC-5). */
export const identifiesLogicalUnit = (descriptor: DesignationDescriptor): boolean =>
  descriptor.association === 0 && [0x1, 0x2, 0x3, 0x8, 0xa].includes(descriptor.designatorType);

const designatorText = (descriptor: DesignationDescriptor): string => {
  if (descriptor.codeSet === 2 || descriptor.codeSet === 3) return JSON.stringify(descriptor.designator.toString(descriptor.codeSet === 2 ? 'latin1' : 'utf8'));
  // Relative target port, target port group and logical unit group hold a number in bytes 2-3.
  if ([0x4, 0x5, 0x6].includes(descriptor.designatorType) && descriptor.designator.length === 4) return `${uintAt(descriptor.designator, 2, 2)}`;
  return hexBytes(descriptor.designator);
};

/** `NAA, logical unit, binary: 60 00 …` in one line. */
export const describeDesignationDescriptor = (descriptor: DesignationDescriptor): string => {
  const type = readableName(designationHeaderFields.designatorType.names, descriptor.designatorType);
  const association = readableName(designationHeaderFields.association.names, descriptor.association);
  const codeSet = readableName(designationHeaderFields.codeSet.names, descriptor.codeSet);
  const protocol = descriptor.piv ? `, protocol ${hex(descriptor.protocolIdentifier)}` : '';
  return `${type}, ${association}, ${codeSet}${protocol}: ${designatorText(descriptor)}`;
};

const readableName = (names: Readonly<Record<number, string>> | undefined, value: number): string => names?.[value] ?? `reserved ${hex(value)}`;
