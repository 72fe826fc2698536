/**
 * QEMU's own fault injector, the `blkdebug` block driver: a disk whose file answers chosen requests with an
 * errno, so that a campaign can be shown a divergence it must find.
 */

/** The blkdebug events a fault may hang on (QEMU's BlkdebugEvent, as `-blockdev` spells it). */
export type BlkdebugEvent = 'read_aio' | 'write_aio' | 'flush_to_disk';

export interface BlkdebugFault {
  readonly event: BlkdebugEvent;
  /** Default 5 (EIO). */
  readonly errno?: number;
  /**
   * The 512-byte sector whose requests fail: QEMU 7.2 fails any request that covers it, not only one that
   * starts there. Absent: every request after the event fails.
   */
  readonly sector?: number;
  /** Fail the first matching request only. */
  readonly once?: boolean;
}

/** Which kind of request an event's fault fails: a read fault must not also fail a later write to the sector. */
const iotypeOf: Record<BlkdebugEvent, string> = { read_aio: 'read', write_aio: 'write', flush_to_disk: 'flush' };

/**
 * The node between a disk's file node and its raw node, named `<diskId>-blkdebug`. It must sit *below* the
 * raw node: blkdebug's rules arm on events, and QEMU sends a format driver's events (raw's `read_aio`,
 * `write_aio`) down to its file child, never up; a blkdebug node above raw would never see them.
 */
export const blkdebugNodeOptions = (
  diskId: string,
  image: string,
  faults: readonly BlkdebugFault[],
): Record<string, string | number> => {
  const options: Record<string, string | number> = { driver: 'blkdebug', 'node-name': `${diskId}-blkdebug`, image };
  faults.forEach((fault, index) => {
    const prefix = `inject-error.${index}`;
    options[`${prefix}.event`] = fault.event;
    options[`${prefix}.iotype`] = iotypeOf[fault.event];
    options[`${prefix}.errno`] = fault.errno ?? 5;
    if (fault.sector !== undefined) {
      if (!Number.isSafeInteger(fault.sector) || fault.sector < 0) throw new Error(`blkdebug: sector ${fault.sector} is not a sector number`);
      options[`${prefix}.sector`] = fault.sector;
    }
    if (fault.once) options[`${prefix}.once`] = 'on';
  });
  return options;
};
