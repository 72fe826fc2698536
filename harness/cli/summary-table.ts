import { CampaignSummary, CauseRecord } from '../findings/summary';

const causeRows = (causes: readonly CauseRecord[]): string[] => [
  '  cases  cause         baseline  what (seen through)',
  ...causes.map((cause) => {
    const seen = cause.seenThrough.slice(0, 6).map((each) => `${each.scope} ${each.field}`);
    const more = cause.seenThrough.length > seen.length ? ` +${cause.seenThrough.length - seen.length}` : '';
    const upstream = Object.entries(cause.upstream ?? {}).map(([version, verdict]) => ` [${version}: ${verdict}]`).join('');
    return `  ${String(cause.cases).padStart(5)}  ${cause.id}  ${cause.known ? 'known   ' : 'NEW     '}  ${cause.text}${upstream} (${seen.join(', ')}${more})`;
  }),
];

/** QEMU's causes, then the target's apart: a tgtd bug is not QEMU's. */
export const summaryTable = (summary: CampaignSummary): string[] => {
  if (summary.causes.length === 0) return ['no divergences'];
  const lines: string[] = [];
  for (const subject of ['qemu', 'target'] as const) {
    const causes = summary.causes.filter((cause) => cause.subject === subject);
    if (causes.length === 0) continue;
    const fresh = causes.filter((cause) => !cause.known).length;
    lines.push(`${causes.length} cause(s) ${subject === 'qemu' ? `in QEMU ${summary.qemuVersion} or between its paths` : 'in the target behind scsi-block'}, ${fresh} not in the baseline:`, ...causeRows(causes));
  }
  return lines;
};

