import { LatencyRow } from './latency-row';
import { tcgCaveat } from './latency-table';

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1'];
const layout = { left: 300, right: 40, top: 60, rowHeight: 18, groupGap: 16, axisHeight: 50, plotWidth: 560 };

/**
 * A horizontal chart per path, one row per command on a log time axis: a bar to the median, a whisker to p99
 * with a tick at p90, and the HBA-to-SCSI-completion share drawn darker inside the bar.
 */
export const latencyChart = (rows: readonly LatencyRow[], accelerator: string): string => {
  const timed = rows.filter((row) => row.commands > 0);
  const values = timed.flatMap((row) => [row.p50Us, row.p99Us]).filter((value) => value > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...values, 10)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values, 100)));
  const x = (value: number): number =>
    layout.left + (Math.log10(Math.max(value, low) / low) / Math.log10(high / low)) * layout.plotWidth;
  const paths = [...new Set(timed.map((row) => row.path))];
  const parts: string[] = [];
  let y = layout.top;
  paths.forEach((path, index) => {
    const color = palette[index % palette.length];
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold" fill="${color}">${escapeXml(path)}</text>`);
    y += layout.rowHeight;
    for (const row of timed.filter((each) => each.path === path)) {
      const middle = y + layout.rowHeight / 2;
      const bar = x(row.p50Us) - layout.left;
      parts.push(
        '<g>',
        `<text x="${layout.left - 8}" y="${middle + 4}" text-anchor="end">${escapeXml(row.command)}</text>`,
        `<rect x="${layout.left}" y="${y + 3}" width="${bar.toFixed(1)}" height="${layout.rowHeight - 6}" fill="${color}" fill-opacity="0.45"/>`,
        ...(row.hbaShare === undefined
          ? []
          : [`<rect x="${layout.left}" y="${y + 3}" width="${(bar * Math.min(1, row.hbaShare)).toFixed(1)}" height="${layout.rowHeight - 6}" fill="${color}"/>`]),
        `<line x1="${x(row.p50Us).toFixed(1)}" x2="${x(row.p99Us).toFixed(1)}" y1="${middle}" y2="${middle}" stroke="#333"/>`,
        `<line x1="${x(row.p90Us).toFixed(1)}" x2="${x(row.p90Us).toFixed(1)}" y1="${middle - 4}" y2="${middle + 4}" stroke="#333"/>`,
        `<line x1="${x(row.p99Us).toFixed(1)}" x2="${x(row.p99Us).toFixed(1)}" y1="${y + 3}" y2="${y + layout.rowHeight - 3}" stroke="#333"/>`,
        `<title>${escapeXml(`${row.path} ${row.command}: p50 ${row.p50Us.toFixed(1)} µs, p90 ${row.p90Us.toFixed(1)} µs, p99 ${row.p99Us.toFixed(1)} µs`)}</title>`,
        '</g>',
      );
      y += layout.rowHeight;
    }
    y += layout.groupGap;
  });
  const ticks: string[] = [];
  for (let value = low; value <= high; value *= 10) {
    ticks.push(
      `<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${layout.top}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${x(value).toFixed(1)}" y="${y + 16}" text-anchor="middle">${value >= 1000 ? `${value / 1000} ms` : `${value} µs`}</text>`,
    );
  }
  const width = layout.left + layout.plotWidth + layout.right;
  const height = y + layout.axisHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">In-guest SG_IO time per path and command (${escapeXml(accelerator.toUpperCase())})</text>`,
    '<text x="10" y="40">bar: median; whisker: to p99, tick at p90; dark part: HBA receiving it to the SCSI layer completing it (QEMU trace)</text>',
    ...ticks,
    ...parts,
    `<text x="10" y="${height - 12}" font-style="italic">${escapeXml(tcgCaveat)}</text>`,
    '</svg>',
    '',
  ].join('\n');
};
