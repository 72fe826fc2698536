import { flag, number, wide } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { fixedVpdPage } from './vpd-page';

/** Block Limits (SBC-4); lengths count logical blocks, and zero means the device states no limit. */
const blockLimitsFields = {
  wsnz: flag('WSNZ', 4, 0),
  maximumCompareAndWriteLength: number('MAXIMUM COMPARE AND WRITE LENGTH', wholeBytes(5, 1)),
  optimalTransferLengthGranularity: number('OPTIMAL TRANSFER LENGTH GRANULARITY', wholeBytes(6, 2)),
  maximumTransferLength: number('MAXIMUM TRANSFER LENGTH', wholeBytes(8, 4)),
  optimalTransferLength: number('OPTIMAL TRANSFER LENGTH', wholeBytes(12, 4)),
  maximumPrefetchLength: number('MAXIMUM PREFETCH LENGTH', wholeBytes(16, 4)),
  maximumUnmapLbaCount: number('MAXIMUM UNMAP LBA COUNT', wholeBytes(20, 4)),
  maximumUnmapBlockDescriptorCount: number('MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT', wholeBytes(24, 4)),
  optimalUnmapGranularity: number('OPTIMAL UNMAP GRANULARITY', wholeBytes(28, 4)),
  ugavalid: flag('UGAVALID', 32, 7),
  unmapGranularityAlignment: number('UNMAP GRANULARITY ALIGNMENT', [...bitsIn(32, 6, 7), ...wholeBytes(33, 3)]),
  maximumWriteSameLength: wide('MAXIMUM WRITE SAME LENGTH', wholeBytes(36, 8)),
  maximumAtomicTransferLength: number('MAXIMUM ATOMIC TRANSFER LENGTH', wholeBytes(44, 4)),
  atomicAlignment: number('ATOMIC ALIGNMENT', wholeBytes(48, 4)),
  atomicTransferLengthGranularity: number('ATOMIC TRANSFER LENGTH GRANULARITY', wholeBytes(52, 4)),
  maximumAtomicTransferLengthWithAtomicBoundary: number('MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY', wholeBytes(56, 4)),
  maximumAtomicBoundarySize: number('MAXIMUM ATOMIC BOUNDARY SIZE', wholeBytes(60, 4)),
};

const page = fixedVpdPage('block limits', 0xb0, 0x3c, blockLimitsFields);
export const decodeBlockLimits = page.decode;
export const describeBlockLimits = page.describe;
export type BlockLimits = ReturnType<typeof decodeBlockLimits>;
