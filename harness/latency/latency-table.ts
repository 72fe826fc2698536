import { LatencyRow } from './latency-row';

export const tcgCaveat = 'Under TCG these timings are relative, not absolute: compare paths and commands with each other, not with hardware.';

const us = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(value < 100 ? 1 : 0));
const percent = (share: number | undefined): string => (share === undefined ? '–' : `${(share * 100).toFixed(0)} %`);

/** Markdown: one row per path and command. */
export const latencyTable = (rows: readonly LatencyRow[], accelerator: string): string =>
  [
    '| path | command | commands | not GOOD | p50 µs | p90 µs | p99 µs | HBA→SCSI done, median share | traced |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.path} | ${row.command} | ${row.commands}${row.errno ? ` (errno ${row.errno})` : ''} | ${row.notGood} | ${us(row.p50Us)} | ${us(row.p90Us)} | ${us(row.p99Us)} | ${percent(row.hbaShare)} | ${row.traced} |`,
    ),
    '',
    `In-guest SG_IO time (the agent's tight loop, no host round trip), ${accelerator.toUpperCase()}. The share is the time from the HBA`,
    "receiving a command (virtio_scsi_cmd_req, megasas_handle_scsi/_io) to the SCSI layer completing it (scsi_req_dequeue), from QEMU's",
    "trace, over the guest's SG_IO time, matched by order; '–' where no command reached the SCSI layer. The trace itself slows QEMU a little.",
    tcgCaveat,
  ].join('\n');
