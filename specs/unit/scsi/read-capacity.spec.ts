import { blockCount, decodeReadCapacity10, decodeReadCapacity16, describeReadCapacity16 } from '../../../harness/scsi/read-capacity';
import { hex, qemuReadCapacity10, qemuReadCapacity16, tgtdReadCapacity16 } from './captured-answers';

describe('READ CAPACITY data', () => {
  it('decodes (10): the last LBA and the block length', () => {
    const capacity = decodeReadCapacity10(qemuReadCapacity10);
    expect(capacity).toEqual({ lastLba: 16383, blockLength: 512, truncated: false, problems: [] });
    expect(blockCount(capacity)).toBe(16384);
  });

  it('decodes (10) short of its 8 bytes without throwing', () => {
    expect(decodeReadCapacity10(hex('00 00 3f'))).toMatchObject({ lastLba: 0x3f00, blockLength: 0, truncated: true });
  });

  it("decodes QEMU's (16): LBPME set, LBPRZ clear, one logical block per physical block", () => {
    expect(decodeReadCapacity16(qemuReadCapacity16)).toEqual({
      lastLba: 16383n,
      blockLength: 512,
      rcBasis: 0,
      protectionType: 0,
      protectionEnabled: false,
      protectionIntervalExponent: 0,
      logicalBlocksPerPhysicalBlockExponent: 0,
      lbpme: true,
      lbprz: false,
      lowestAlignedLba: 0,
      truncated: false,
      problems: [],
    });
  });

  it("decodes tgtd's (16): eight logical blocks per 4096-byte physical block", () => {
    const capacity = decodeReadCapacity16(tgtdReadCapacity16);
    expect(capacity).toMatchObject({ logicalBlocksPerPhysicalBlockExponent: 3, lbpme: false });
    expect(describeReadCapacity16(capacity)).toContain('physical block: 4096 bytes');
  });

  it('reads every field of (16) where the standard puts it', () => {
    expect(decodeReadCapacity16(hex('ff ff ff ff ff ff ff fe 00 00 10 00 15 43 ff ff' + ' 00'.repeat(16)))).toMatchObject({
      lastLba: 0xfffffffffffffffen,
      blockLength: 4096,
      rcBasis: 1,
      protectionType: 2,
      protectionEnabled: true,
      protectionIntervalExponent: 4,
      logicalBlocksPerPhysicalBlockExponent: 3,
      lbpme: true,
      lbprz: true,
      lowestAlignedLba: 0x3fff,
    });
  });

  it('says (16) is truncated when the allocation length cut it', () => {
    expect(decodeReadCapacity16(qemuReadCapacity16.subarray(0, 12))).toMatchObject({ lastLba: 16383n, blockLength: 512, truncated: true });
  });
});
