import type { QtestClient } from './qtest-client';
import type { MfiQueueInfo } from './mfi-queue-info';

/** Bytes of one reply-queue entry: 32-bit contexts, as megasas.c keeps them unless INIT asked for 64-bit ones. */
export const mfiReplyEntryBytes = 4;

/**
 * The host's side of the MFI reply queue: megasas.c writes a completed frame's context at the producer index,
 * moves the index on (wrapping at its max_cmds, whatever INIT said) and stores it at the producer address;
 * the host reads entries up to it and stores how far it read at the consumer address.
 */
export class MfiReplyQueue {
  private consumer = 0;

  constructor(
    private readonly qtest: QtestClient,
    readonly info: MfiQueueInfo,
  ) {}

  /**
   * Reads the reply queue until `context` comes back, stepping QEMU's virtual clock while nothing new is there;
   * false when `timeoutMs` of wall time passed first. Other contexts read on the way (a frame that timed out
   * earlier completing late) are consumed and passed over.
   */
  async waitFor(context: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.drain()).includes(context)) return true;
      if (Date.now() >= deadline) return false;
      await this.qtest.clockStep();
    }
  }

  private async drain(): Promise<number[]> {
    const producer = await this.qtest.readl(this.info.producerIndexAddress);
    if (producer >= this.info.replyQueueEntries) {
      throw new Error(`megasas: the reply queue's producer index is ${producer}, past its ${this.info.replyQueueEntries} entries`);
    }
    const indexes: number[] = [];
    for (let index = this.consumer; index !== producer; index = (index + 1) % this.info.replyQueueEntries) indexes.push(index);
    if (indexes.length === 0) return [];
    this.consumer = producer;
    // The entries' reads and the consumer index's write go out together, in one round trip.
    const [contexts] = await Promise.all([
      Promise.all(indexes.map((index) => this.qtest.readl(this.info.replyQueueAddress + BigInt(index * mfiReplyEntryBytes)))),
      this.qtest.writel(this.info.consumerIndexAddress, producer),
    ]);
    return contexts;
  }
}
