import { createHash } from 'node:crypto';

export const blockBytes = 512;

/**
 * The content every disk of a session starts with, the same on every path. Each 512-byte block carries its
 * own LBA up front and then bytes no other block has, so data read from the wrong block, or not at all,
 * never passes for right. Made once per size: every session and every restore shares the buffer, so callers
 * must not write to it.
 */
const made = new Map<number, Buffer>();

export const initialDiskContent = (diskBytes: number): Buffer => {
  const known = made.get(diskBytes);
  if (known) return known;
  const content = Buffer.alloc(diskBytes);
  for (let lba = 0; lba * blockBytes < diskBytes; lba++) {
    const block = content.subarray(lba * blockBytes, (lba + 1) * blockBytes);
    let seed = createHash('sha256').update(`hbadiff block ${lba}`).digest();
    for (let offset = 0; offset < block.length; offset += seed.length) {
      seed.copy(block, offset);
      seed = createHash('sha256').update(seed).digest();
    }
    block.writeBigUInt64BE(BigInt(lba), 0);
  }
  made.set(diskBytes, content);
  return content;
};
