import { TraceEvent } from '../qemu/trace/qemu-trace';
import { scsiCompleteEvent } from '../qemu/trace/scsi-layer-trace';

/**
 * Per guest command, in order, the time from the HBA receiving it (one of `receives`) to the SCSI layer completing it, µs: the k-th
 * receive is the guest's k-th command (one command in flight at a time), and its completion the first after it
 * and before the next receive. A command the HBA failed before it reached the SCSI layer (megasas's TEST UNIT
 * READY) has none: undefined.
 */
export const hbaSpansUs = (events: readonly TraceEvent[], receives: ReadonlySet<string>): (number | undefined)[] => {
  const spans: (number | undefined)[] = [];
  let received: number | undefined;
  for (const event of events) {
    if (receives.has(event.name)) {
      if (received !== undefined) spans.push(undefined);
      received = event.timeUs;
    } else if (event.name === scsiCompleteEvent && received !== undefined) {
      spans.push(event.timeUs - received);
      received = undefined;
    }
  }
  if (received !== undefined) spans.push(undefined);
  return spans;
};
