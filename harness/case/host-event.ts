import { HostEvent } from './case-types';

/** A host event as a person reads it in a report. */
export const describeHostEvent = (event: HostEvent): string => {
  switch (event.kind) {
    case 'pause':
      return 'VM paused and continued';
    case 'resize':
      return `disks resized to ${event.bytes} bytes`;
    case 'unplug':
      return 'disks unplugged';
    case 'plug':
      return 'disks plugged back';
    case 'snapshot':
      return 'disks snapshotted: a new active layer on top';
    case 'hold':
      return `reads and writes held in QEMU for ${event.ms} ms`;
    case 'io-error':
      return `the next ${event.io} covering sector ${event.sector} fails on the host`;
  }
};

/** A host event as a signature names its step: `host-pause`, `host-resize` (the size is the case's, not the cause's). */
export const hostEventScope = (event: HostEvent): string => `host-${event.kind}`;
