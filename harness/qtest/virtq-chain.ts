import type { QtestClient } from './qtest-client';

/** Descriptor flags (struct virtq_desc in the virtio spec, 2.7.5). */
export const virtqDescNext = 1;
export const virtqDescWrite = 2;

/** Bytes of one struct virtq_desc: le64 addr, le32 len, le16 flags, le16 next. */
export const virtqDescBytes = 16;

/**
 * One descriptor as the driver means it: the table slot it goes in, and its four fields exactly as they are
 * to be written. Nothing here is checked, so a chain can be made wrong on purpose (a length the buffer does
 * not have, a missing or extra NEXT, a `next` or slot past the queue).
 */
export interface VirtqDescriptor {
  readonly slot: number;
  readonly address: bigint;
  readonly length: number;
  readonly flags: number;
  readonly next: number;
}

/** A chain as it is made available: the head slot the avail ring names, and every descriptor to write. */
export interface DescriptorChain {
  readonly head: number;
  readonly descriptors: readonly VirtqDescriptor[];
}

/** One buffer a chain hands the device: written by it (`writable`) or read by it. */
export interface ChainBuffer {
  readonly address: number;
  readonly length: number;
  readonly writable: boolean;
}

/** A well-formed chain over `buffers` in consecutive slots from `firstSlot`, each linked to the next. */
export const buildChain = (buffers: readonly ChainBuffer[], firstSlot: number, queueSize: number): DescriptorChain => {
  const slotOf = (index: number): number => (firstSlot + index) % queueSize;
  return {
    head: slotOf(0),
    descriptors: buffers.map((buffer, index) => {
      const last = index === buffers.length - 1;
      return {
        slot: slotOf(index),
        address: BigInt(buffer.address),
        length: buffer.length,
        flags: (last ? 0 : virtqDescNext) | (buffer.writable ? virtqDescWrite : 0),
        next: last ? 0 : slotOf(index + 1),
      };
    }),
  };
};

const encodeDescriptor = (descriptor: VirtqDescriptor): Buffer => {
  const bytes = Buffer.alloc(virtqDescBytes);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, descriptor.address), 0);
  bytes.writeUInt32LE(descriptor.length >>> 0, 8);
  bytes.writeUInt16LE(descriptor.flags & 0xffff, 12);
  bytes.writeUInt16LE(descriptor.next & 0xffff, 14);
  return bytes;
};

/**
 * Writes each descriptor of `chain` into the table at `table` (a slot past the queue lands past the table, as
 * the chain says), consecutive slots in one request.
 */
export const writeChain = async (qtest: QtestClient, table: number, chain: DescriptorChain): Promise<void> => {
  const runs: { slot: number; bytes: Buffer[] }[] = [];
  for (const descriptor of chain.descriptors) {
    const run = runs.at(-1);
    if (run && run.slot + run.bytes.length === descriptor.slot) run.bytes.push(encodeDescriptor(descriptor));
    else runs.push({ slot: descriptor.slot, bytes: [encodeDescriptor(descriptor)] });
  }
  await Promise.all(runs.map((run) => qtest.memwrite(table + run.slot * virtqDescBytes, Buffer.concat(run.bytes))));
};
