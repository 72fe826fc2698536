import { isSmallCommand, measuredCommands } from '../harness/latency/measured-commands';
import { Measurement } from './measurement';
import { BenchResults } from './results';
import { Summary } from './statistics';

const fixed = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const spread = (summary: Summary, unit = ''): string =>
  `${fixed(summary.min)}–${fixed(summary.max)}${unit}, IQR ${fixed(summary.iqr)}${unit}, ${summary.runs} runs`;
const load = (measurement: Measurement): string => `${measurement.loadAverage.before[0].toFixed(2)} → ${measurement.loadAverage.after[0].toFixed(2)}`;

/** Other people's guests on the machine: beyond half a core busy, the figures are said to be taken under load. */
const busyLoad = 0.5;

const allMeasurements = (results: BenchResults): Measurement[] => [
  ...(results.boot ? [results.boot] : []),
  ...(results.bootAllHbas ? [results.bootAllHbas] : []),
  ...(results.restart ? [results.restart.booted, results.restart.resumed] : []),
  ...(results.throughput ?? []).flatMap((row) => [row.harness, row.inGuest]),
  ...(results.campaign ?? []).map((row) => row.rate),
  ...(results.frames ?? []).flatMap((row) => [row.commands, row.mutations]),
];

const smallCommandNames = new Set(measuredCommands.filter(isSmallCommand).map((measured) => measured.name));

/** The README's performance table: each figure a median with its spread, and the load it was taken under. */
export const resultsMarkdown = (results: BenchResults): string => {
  const loads = allMeasurements(results).flatMap((measurement) => [measurement.loadAverage.before[0], measurement.loadAverage.after[0]]);
  const maxLoad = Math.max(0, ...loads);
  const lines = [
    `Machine: ${results.host}. ${results.setup}. Profile ${results.profile}, ${results.takenAt.slice(0, 10)}.`,
    maxLoad > busyLoad
      ? `Taken under load: other engineers' QEMU campaigns shared the machine (1-minute load average up to ${maxLoad.toFixed(2)}).`
      : `The machine was otherwise idle (1-minute load average at most ${maxLoad.toFixed(2)}).`,
    'TCG timings are relative, not absolute.',
    '',
    '| what | median | spread (min–max, IQR, runs) | load average (1 min) |',
    '|---|---:|---|---|',
  ];
  if (results.boot) lines.push(`| boot to ready (spawn to the agent's hello), default topology | ${(results.boot.median / 1000).toFixed(2)} s | ${spread(results.boot, ' ms')} | ${load(results.boot)} |`);
  if (results.bootAllHbas) lines.push(`| ${results.bootAllHbas.what.replace('agent hello', "agent's hello")} | ${(results.bootAllHbas.median / 1000).toFixed(2)} s | ${spread(results.bootAllHbas, ' ms')} | ${load(results.bootAllHbas)} |`);
  if (results.restart) {
    lines.push(`| QEMU's death to the next case run, a booted guest (before) | ${(results.restart.booted.median / 1000).toFixed(2)} s | ${spread(results.restart.booted, ' ms')} | ${load(results.restart.booted)} |`);
    lines.push(`| QEMU's death to the next case run, the saved booted guest resumed | ${(results.restart.resumed.median / 1000).toFixed(2)} s | ${spread(results.restart.resumed, ' ms')} | ${load(results.restart.resumed)} |`);
  }
  for (const row of results.campaign ?? []) {
    lines.push(`| campaign, ${row.guests} guest(s) in parallel, cases/s (scaling ${row.scaling.toFixed(2)} of ${row.guests}×) | ${fixed(row.rate.median)} | ${spread(row.rate)} | ${load(row.rate)} |`);
  }
  for (const row of results.frames ?? []) {
    lines.push(`| ${row.hba}, frame-level commands/s (READ (10) 4 KiB through its frame driver, QEMU under qtest, no guest) | ${fixed(row.commands.median)} | ${spread(row.commands)} | ${load(row.commands)} |`);
    lines.push(`| ${row.hba}, frame mutations/s (\`hbadiff frames\` without confirming and shrinking) | ${fixed(row.mutations.median)} | ${spread(row.mutations)} | ${load(row.mutations)} |`);
  }
  if (results.memory) {
    lines.push(`| QEMU resident memory per guest | ${(results.memory.qemuRssKiB.median / 1024).toFixed(0)} MiB | ${spread(results.memory.qemuRssKiB, ' KiB')} | |`);
    lines.push(`| harness process resident memory | ${(results.memory.harnessRssKiB.median / 1024).toFixed(0)} MiB | ${spread(results.memory.harnessRssKiB, ' KiB')} | |`);
  }
  for (const row of results.campaign ?? []) {
    const { cases, wallMs, phases } = row.breakdown;
    if (cases === 0) continue;
    const timed = phases.filter((phase) => !phase.phase.startsWith('shrinking')).reduce((sum, phase) => sum + phase.ms, 0);
    const resetsMs = phases.find((phase) => phase.phase === 'resets')?.ms ?? 0;
    lines.push(
      '',
      `Where a case's wall time goes, ${row.guests} guest(s): ${cases} cases in ${(wallMs / 1000).toFixed(1)} s of campaign, ${(wallMs / cases).toFixed(1)} ms a case${row.guests > 1 ? ' (per guest, phases summed over the guests)' : ''}; ` +
        `without the resets' time (SG_SCSI_RESET, mostly the guest kernel's 10 s settle after a megaraid_sas host reset), ${fixed((cases * 1000) / Math.max(1, wallMs * row.guests - resetsMs))} cases/s a guest.`,
      '',
      '| phase | ms per case | share of the wall time | times per case |',
      '|---|---:|---:|---:|',
      ...phases.map((phase) => `| ${phase.phase} | ${fixed(phase.ms / cases)} | ${((100 * phase.ms) / (wallMs * row.guests)).toFixed(1)} % | ${fixed(phase.count / cases)} |`),
      `| not in any phase (the event loop, awaiting, the progress) | ${fixed((wallMs * row.guests - timed) / cases)} | ${((100 * (wallMs * row.guests - timed)) / (wallMs * row.guests)).toFixed(1)} % | |`,
    );
  }
  if (results.throughput) {
    lines.push(
      '',
      'Commands per second, per path: through the harness (one batch per round trip, data-in as digests) and in the',
      "guest's own tight loop of the same command (no host round trip); the ratio of the medians is what the harness leaves.",
      '',
      '| path | command | batch | harness, commands/s | in guest, commands/s | ratio |',
      '|---|---|---:|---:|---:|---:|',
      ...results.throughput.map(
        (row) =>
          `| ${row.path} | ${row.command} | ${row.batch} | ${fixed(row.harness.median)} (${spread(row.harness)}) | ${fixed(row.inGuest.median)} (${spread(row.inGuest)}) | ${smallCommandNames.has(row.command) ? `**${row.ratio.toFixed(3)}**` : row.ratio.toFixed(3)} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
};
