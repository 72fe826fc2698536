import { decodeSense } from '../scsi/sense';
import { statusName } from '../scsi/status';
import { CommandOutcome, LogRecord } from '../execute/step-outcome';

const hex = (value: number, digits = 2): string => `0x${value.toString(16).padStart(digits, '0')}`;

/** Warning or worse: what a kernel says when something went wrong, not its chatter. */
const warningOrWorse = 4;

/**
 * The same message names each path's device differently (H:C:T:L, sg and sd nodes, host numbers, PCI
 * addresses); those names are not part of what the comparison compares.
 */
const normalizeKernelText = (text: string): string =>
  text
    .replace(/\b\d+:\d+:\d+:\d+\b/g, 'H:C:T:L')
    .replace(/\b[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\b/g, 'PCI')
    .replace(/\b(sg|sd[a-z]*|host|scsi|target)\d+\b/g, '$1N')
    .replace(/\bsd[a-z]+\b/g, 'sdX')
    .replace(/\btag#\d+\b/g, 'tag#N');

/**
 * The midlayer's report of a failed command (scsi_io_completion: the result, the sense, the CDB) restates
 * what the status and sense fields already compare, and it is rate-limited (ten per five seconds), so in a
 * burst one path's copy is printed and the next path's is not: comparing it would only compare timing.
 */
const restatesTheResult = /^(\[sd\w*\] )?(tag#\d+ )?(FAILED Result:|Sense Key :|Add\. Sense:|CDB: |ASC=|<<vendor>>)|\b\d+ callbacks suppressed$/;

export const kernelLogValue = (records: readonly LogRecord[]): string => {
  const serious = records
    .filter((record) => record.level <= warningOrWorse && !restatesTheResult.test(record.text.replace(/^\S+ \S+: /, '')))
    .map((record) => normalizeKernelText(record.text));
  return serious.length === 0 ? 'none' : serious.join(' | ');
};

export const statusValue = (outcome: CommandOutcome): string =>
  outcome.delivery.answered ? statusName(outcome.status) : outcome.delivery.completion;

/** The transport's completion: the field the comparison calls `hostStatus`, after SG_IO's, whatever the transport. */
export const hostStatusValue = (outcome: CommandOutcome): string => outcome.delivery.completion;

export const senseValue = (outcome: CommandOutcome): string => {
  const sense = decodeSense(outcome.sense);
  if (!sense) return outcome.sense.length === 0 ? 'none' : `undecodable (${outcome.sense.length} bytes)`;
  return `${sense.format}${sense.current ? '' : ' deferred'} key ${hex(sense.key, 1)} ${hex(sense.asc)}/${hex(sense.ascq)}`;
};

export const residualValue = (outcome: CommandOutcome): string => String(outcome.residual);
