import { MeasuredCommand, measuredCommands } from '../harness/latency/measured-commands';
import { GuestPath, GuestSession } from '../harness/session/guest-session';
import { Measurement, measure } from './measurement';
import { BenchProfile } from './profile';

/** One command on one path: through the harness (a batch per round trip) and in the guest's own loop. */
export interface ThroughputRow {
  readonly path: string;
  readonly command: string;
  /** Commands per harness batch. */
  readonly batch: number;
  readonly harness: Measurement;
  readonly inGuest: Measurement;
  /** Median harness rate over median in-guest rate: 1 would be a harness that costs nothing. */
  readonly ratio: number;
}

const secondsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

const throughputOf = async (session: GuestSession, path: GuestPath, measured: MeasuredCommand, profile: BenchProfile): Promise<ThroughputRow> => {
  const { batch } = profile;
  const commands = Array.from({ length: batch }, () => measured.command);
  const harness = await measure(`${measured.name} through the harness`, 'commands/s', profile.runs, async () => {
    const start = process.hrtime.bigint();
    await session.exec(path, commands, { digestOnly: true });
    return batch / secondsSince(start);
  });
  const inGuest = await measure(`${measured.name} in the guest's loop`, 'commands/s', profile.runs, async () => {
    const result = await session.loop(path, measured.command, profile.loopIterations);
    if (result.errno !== 0) throw new Error(`${path.id} ${measured.name}: the guest's loop stopped on errno ${result.errno}`);
    return result.durationsNs.length / (Number(result.elapsedNs) / 1e9);
  });
  return { path: path.id, command: measured.name, batch, harness, inGuest, ratio: harness.median / inGuest.median };
};

/** Every measured command on every path of the session, one after the other. */
export const measureThroughput = async (session: GuestSession, profile: BenchProfile): Promise<ThroughputRow[]> => {
  const rows: ThroughputRow[] = [];
  for (const path of session.paths) {
    // A first command takes the unit attention of the power-on.
    await session.loop(path, measuredCommands[0].command, 3);
    for (const measured of measuredCommands) {
      const row = await throughputOf(session, path, measured, profile);
      console.error(`${row.path} ${row.command}: harness ${row.harness.median.toFixed(0)}/s, in guest ${row.inGuest.median.toFixed(0)}/s, ratio ${row.ratio.toFixed(3)}`);
      rows.push(row);
    }
  }
  return rows;
};
