import { Lba } from '../layout/field';

/** One extent to unmap. */
export interface UnmapExtent {
  readonly lba: Lba | number;
  readonly blocks: number;
}

/**
 * UNMAP parameter list (SBC-4, UNMAP parameter list): UNMAP DATA LENGTH and UNMAP BLOCK DESCRIPTOR DATA
 * LENGTH, which count the bytes after themselves, then a 16-byte descriptor per extent.
 */
export const unmapParameterList = (extents: readonly UnmapExtent[]): Buffer => {
  const list = Buffer.alloc(8 + 16 * extents.length);
  list.writeUInt16BE(list.length - 2, 0);
  list.writeUInt16BE(16 * extents.length, 2);
  extents.forEach(({ lba, blocks }, index) => {
    list.writeBigUInt64BE(BigInt(lba), 8 + 16 * index);
    list.writeUInt32BE(blocks, 16 + 16 * index);
  });
  return list;
};
