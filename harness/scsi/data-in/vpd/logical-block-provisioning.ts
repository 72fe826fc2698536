import { DecodeNotes } from '../../_internals/decode-notes';
import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../../layout/record';
import { DesignationDescriptor, decodeDesignationDescriptors, describeDesignationDescriptor } from './designation-descriptor';
import { VpdHeader, describeVpdPage, frameVpdPage } from './vpd-page';

/** Logical Block Provisioning (SBC-4). */
const logicalBlockProvisioningFields = {
  thresholdExponent: number('THRESHOLD EXPONENT', wholeBytes(4, 1)),
  lbpu: flag('LBPU', 5, 7),
  lbpws: flag('LBPWS', 5, 6),
  lbpws10: flag('LBPWS10', 5, 5),
  // SBC-3 had one bit here (bit 2); SBC-4 widened LBPRZ to three.
  lbprz: number('LBPRZ', bitsIn(5, 4, 3)),
  ancSup: flag('ANC_SUP', 5, 1),
  dp: flag('DP', 5, 0),
  minimumPercentage: number('MINIMUM PERCENTAGE', bitsIn(6, 7, 5)),
  provisioningType: number('PROVISIONING TYPE', bitsIn(6, 2, 3), {
    names: { 0: 'fully provisioned', 1: 'resource provisioned', 2: 'thin provisioned' },
    othersReserved: true,
  }),
  thresholdPercentage: number('THRESHOLD PERCENTAGE', wholeBytes(7, 1)),
};

export type LogicalBlockProvisioning = FieldValues<typeof logicalBlockProvisioningFields> &
  DecodeNotes & {
    readonly kind: 'logical block provisioning';
    readonly header: VpdHeader;
    /** With DP set, the provisioning group the logical unit belongs to. */
    readonly provisioningGroup: DesignationDescriptor | undefined;
  };

export const decodeLogicalBlockProvisioning = (bytes: Uint8Array): LogicalBlockProvisioning => {
  const frame = frameVpdPage(bytes, 0xb2);
  const values = readRecord(logicalBlockProvisioningFields, frame.page);
  const [provisioningGroup] = values.dp ? decodeDesignationDescriptors(frame.page.subarray(8)).descriptors : [];
  const problems = [...frame.problems];
  if (!frame.truncated && values.dp && !provisioningGroup) problems.push('DP is set but no provisioning group descriptor follows');
  if (!frame.truncated && !values.dp && frame.header.pageLength !== 4) problems.push(`PAGE LENGTH is ${frame.header.pageLength} without DP; SBC-4 gives 4`);
  return { kind: 'logical block provisioning', header: frame.header, ...values, provisioningGroup, truncated: frame.truncated, problems };
};

export const describeLogicalBlockProvisioning = (page: LogicalBlockProvisioning): string =>
  describeVpdPage(
    page.header,
    [
      ...recordEntries(logicalBlockProvisioningFields, page),
      ...(page.provisioningGroup ? [['provisioning group', describeDesignationDescriptor(page.provisioningGroup)] as const] : []),
    ],
    page,
  );
