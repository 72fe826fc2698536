import type { GuestMemory } from './guest-memory';
import type { QtestClient } from './qtest-client';
import { DescriptorChain, virtqDescBytes, writeChain } from './virtq-chain';

/** The avail ring's flag that asks the device not to interrupt: completions are polled. */
const availNoInterrupt = 1;

/** Where a split virtqueue's three parts are in guest memory (virtio spec 2.7). */
export interface SplitVirtqueueLayout {
  readonly size: number;
  readonly descriptorTable: number;
  readonly availRing: number;
  readonly usedRing: number;
}

/** One element of the used ring: the head of the chain the device is done with, and how many bytes it wrote. */
export interface UsedElement {
  readonly head: number;
  readonly written: number;
}

/**
 * A split virtqueue driven by polling: chains are made available in the avail ring, and the used ring is
 * read for what came back. The rings sit in guarded buffers, so a device writing past its used ring shows as
 * a stray write.
 */
export class SplitVirtqueue {
  private availIndex = 0;
  private usedIndex = 0;

  private constructor(
    private readonly qtest: QtestClient,
    readonly layout: SplitVirtqueueLayout,
  ) {}

  static async allocate(qtest: QtestClient, memory: GuestMemory, size: number): Promise<SplitVirtqueue> {
    const availFlags = Buffer.alloc(6 + 2 * size);
    availFlags.writeUInt16LE(availNoInterrupt, 0);
    const [descriptors, avail, used] = await Promise.all([
      memory.allocGuarded('descriptor table', size * virtqDescBytes, 16),
      memory.allocGuarded('avail ring', availFlags, 2),
      memory.allocGuarded('used ring', 6 + 8 * size, 4),
    ]);
    return new SplitVirtqueue(qtest, { size, descriptorTable: descriptors.address, availRing: avail.address, usedRing: used.address });
  }

  /** Writes `chain`'s descriptors and makes its head available (ring entry, then index: the order the device reads them). */
  async makeAvailable(chain: DescriptorChain): Promise<void> {
    const { size, descriptorTable, availRing } = this.layout;
    const entry = availRing + 4 + 2 * (this.availIndex % size);
    this.availIndex = (this.availIndex + 1) & 0xffff;
    await Promise.all([writeChain(this.qtest, descriptorTable, chain), this.qtest.writew(entry, chain.head), this.qtest.writew(availRing + 2, this.availIndex)]);
  }

  /** The next used element, if the device has returned one since the last (index and element read in one round trip). */
  async takeUsed(): Promise<UsedElement | undefined> {
    const { size, usedRing } = this.layout;
    const [index, element] = await Promise.all([this.qtest.readw(usedRing + 2), this.qtest.memread(usedRing + 4 + 8 * (this.usedIndex % size), 8)]);
    if (index === this.usedIndex) return undefined;
    this.usedIndex = (this.usedIndex + 1) & 0xffff;
    return { head: element.readUInt32LE(0), written: element.readUInt32LE(4) };
  }
}
