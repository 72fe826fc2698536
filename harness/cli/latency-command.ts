import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LatencyRow } from '../latency/latency-row';
import { latencyChart } from '../latency/latency-chart';
import { latencyTable } from '../latency/latency-table';
import { measureLatency } from '../latency/measure-latency';
import { measuredCommands } from '../latency/measured-commands';
import { AcceleratorChoice } from '../session/accelerator';
import { GuestSession } from '../session/guest-session';
import { stopOnSignals } from './stop-on-signals';

export interface LatencyOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly iterations: number;
  readonly out: string;
}

/** Generous: a loop of thousands of commands is one request. */
const loopRequestTimeoutMs = 600_000;

/**
 * `hbadiff latency`: per path and command, percentiles of the in-guest SG_IO time over a tight loop, and the
 * share QEMU's HBA and SCSI layer took of it, as a Markdown table (printed, and written) and an SVG chart.
 */
export const latencyCommand = async (options: LatencyOptions): Promise<void> => {
  const session = await GuestSession.start({ qemu: options.qemu, accelerator: options.accel, requestTimeoutMs: loopRequestTimeoutMs });
  stopOnSignals(() => session.stop());
  try {
    const rows: LatencyRow[] = [];
    for (const path of session.paths) {
      for (const measured of measuredCommands) {
        const row = await measureLatency(session, path, measured, options.iterations);
        console.error(`${path.id} ${measured.name}: p50 ${row.p50Us.toFixed(1)} µs over ${row.commands}`);
        rows.push(row);
      }
    }
    const out = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
    mkdirSync(out, { recursive: true });
    const table = latencyTable(rows, session.accelerator);
    writeFileSync(join(out, 'latency.md'), `${table}\n`);
    writeFileSync(join(out, 'latency.svg'), latencyChart(rows, session.accelerator));
    writeFileSync(join(out, 'latency.json'), `${JSON.stringify({ qemu: session.qemu.version, accelerator: session.accelerator, rows }, null, 2)}\n`);
    console.log(table);
    console.log(`\nwritten to ${join(out, 'latency.md')}, latency.svg and latency.json`);
  } finally {
    await session.stop();
  }
};
