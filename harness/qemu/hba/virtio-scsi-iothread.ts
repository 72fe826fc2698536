import { virtioScsi } from './virtio-scsi';

/**
 * virtio-scsi with an iothread of its own: QEMU runs its virtqueues and its disks' I/O in that thread's
 * AioContext, not the main loop's, so a reset, an unplug or a drain takes another path through the block
 * layer (where QEMU has had its asserts and deadlocks: blk_drain under an iothread, TMFs cancelling requests).
 */
export const virtioScsiIothread = { ...virtioScsi, model: 'virtio-scsi-iothread', iothread: true, variantOf: virtioScsi.model } as const;
