/** The reply queue an MFI_CMD_INIT frame hands the firmware (struct mfi_init_qinfo, 32 bytes). */
export interface MfiQueueInfo {
  /** MFI_QUEUE_FLAG_CONTEXT64 (0x2) makes reply-queue entries 64-bit contexts. */
  readonly flags: number;
  /** megasas.c refuses more entries than its max_cmds (MFI_STAT_INVALID_PARAMETER) and wraps at max_cmds whatever this says. */
  readonly replyQueueEntries: number;
  readonly replyQueueAddress: bigint;
  /** Where the firmware writes the index of the next reply-queue entry it will fill. */
  readonly producerIndexAddress: bigint;
  /** Where the driver writes the index of the next entry it will read. */
  readonly consumerIndexAddress: bigint;
}

export const mfiQueueInfoBytes = 32;

/** Field offsets of struct mfi_init_qinfo (each address a lo/hi pair of 32-bit words). */
export const MfiQueueInfoOffset = {
  flags: 0,
  replyQueueEntries: 4,
  replyQueueAddress: 8,
  producerIndexAddress: 16,
  consumerIndexAddress: 24,
} as const;

export const encodeMfiQueueInfo = (info: MfiQueueInfo): Buffer => {
  const bytes = Buffer.alloc(mfiQueueInfoBytes);
  bytes.writeUInt32LE(info.flags, MfiQueueInfoOffset.flags);
  bytes.writeUInt32LE(info.replyQueueEntries, MfiQueueInfoOffset.replyQueueEntries);
  bytes.writeBigUInt64LE(info.replyQueueAddress, MfiQueueInfoOffset.replyQueueAddress);
  bytes.writeBigUInt64LE(info.producerIndexAddress, MfiQueueInfoOffset.producerIndexAddress);
  bytes.writeBigUInt64LE(info.consumerIndexAddress, MfiQueueInfoOffset.consumerIndexAddress);
  return bytes;
};
