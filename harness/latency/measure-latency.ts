import { GuestPath, GuestSession } from '../session/guest-session';
import { hbaSpansUs } from './hba-share';
import { LatencyRow } from './latency-row';
import { MeasuredCommand } from './measured-commands';
import { ascending, quantile } from './quantile';

/** Clears a pending unit attention and warms the path before it is timed. */
const warmUpIterations = 5;

/** One command `iterations` times on one path in the guest's tight loop, with the session's QEMU trace of the same commands. */
export const measureLatency = async (
  session: GuestSession,
  path: GuestPath,
  measured: MeasuredCommand,
  iterations: number,
): Promise<LatencyRow> => {
  await session.loop(path, measured.command, warmUpIterations);
  const mark = session.trace.mark();
  const result = await session.loop(path, measured.command, iterations);
  const guestUs = result.durationsNs.map((ns) => Number(ns) / 1000);
  const spans = hbaSpansUs(session.trace.eventsSince(mark), new Set(session.traceCatalog.receive.keys()));
  // Matched by order: the trace's k-th command is the loop's k-th.
  const shares = spans.slice(0, guestUs.length).flatMap((span, k) => (span === undefined || guestUs[k] <= 0 ? [] : [span / guestUs[k]]));
  const sorted = ascending(guestUs);
  const percentile = (q: number): number => (sorted.length === 0 ? NaN : quantile(sorted, q));
  return {
    path: path.id,
    command: measured.name,
    commands: guestUs.length,
    errno: result.errno,
    notGood: result.notGood,
    p50Us: percentile(0.5),
    p90Us: percentile(0.9),
    p99Us: percentile(0.99),
    ...(shares.length > 0 && { hbaShare: quantile(ascending(shares), 0.5) }),
    traced: shares.length,
  };
};
