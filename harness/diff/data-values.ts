import { CommandOutcome } from '../execute/step-outcome';
import { expectedTransfer } from '../scsi/expected-transfer';
import { transferredBytes } from '../scsi/outcome';
import { blockBytes } from '../session/disk-content';
import { PolicyRule } from './policy';

const firstDifference = (a: Buffer, b: Buffer): number => {
  const shorter = Math.min(a.length, b.length);
  for (let index = 0; index < shorter; index++) if (a[index] !== b[index]) return index;
  return shorter;
};

const withRangesZeroed = (bytes: Buffer, rules: readonly PolicyRule[]): Buffer => {
  const copy = Buffer.from(bytes);
  for (const rule of rules) for (const [from, to] of rule.bytes ?? []) copy.fill(0, Math.min(from, copy.length), Math.min(to, copy.length));
  return copy;
};

const digestText = (outcome: CommandOutcome): string => `digest ${outcome.dataDigest.toString(16).padStart(16, '0')}`;

/** A transport failure (DID_BAD_TARGET, DID_ERROR, an HBA's bad-target code…) with status GOOD moved nothing either. */
const answeredGood = (outcome: CommandOutcome): boolean =>
  outcome.delivery.answered && outcome.delivery.problem === undefined && (outcome.status === 0x00 || outcome.status === 0x04);

/**
 * What a device may put in the host buffer: the CDB's allocation length, or nothing for a CDB that moves no
 * data in. A path that reports no residual (megasas never does) seems to have filled the whole buffer.
 */
const deviceMayFill = (outcome: CommandOutcome): number => {
  const asked = expectedTransfer(outcome.command.cdb, blockBytes);
  if (asked === undefined) return outcome.command.length;
  return asked.direction === 'from-device' ? asked.bytes : 0;
};

const comparedBytes = (outcome: CommandOutcome): number => Math.min(transferredBytes(outcome, outcome.command.length), deviceMayFill(outcome));

/**
 * The data-in of two paths as the comparison sees it: equal values where the bytes both devices say they
 * transferred agree outside the policy's masked ranges, otherwise each side's digest and the first byte
 * where they part. Only GOOD answers are compared, and only up to the shorter transfer and what the CDB
 * asks for: sg hands back its whole reserve buffer, so bytes a device did not write are whatever an earlier
 * command left there, which says nothing about this command (the status, sense and residual fields compare
 * the rest). Where only digests travelled back, they are compared when both transfers were complete, and
 * masks cannot apply.
 */
export const dataValues = (a: CommandOutcome, b: CommandOutcome, masking: readonly PolicyRule[]): [string, string] => {
  if (a.command.direction !== 'from-device' || !answeredGood(a) || !answeredGood(b)) return ['not compared', 'not compared'];
  if (a.dataIn && b.dataIn) {
    const length = Math.min(comparedBytes(a), comparedBytes(b));
    const left = withRangesZeroed(a.dataIn.subarray(0, length), masking);
    const right = withRangesZeroed(b.dataIn.subarray(0, length), masking);
    if (left.equals(right)) return ['same', 'same'];
    const at = firstDifference(left, right);
    return [`${digestText(a)}, byte ${at} = ${left[at]}`, `${digestText(b)}, byte ${at} = ${right[at]}`];
  }
  const complete = a.residual === 0 && b.residual === 0 && deviceMayFill(a) >= a.command.length;
  if (!complete || a.dataDigest === b.dataDigest) return ['same', 'same'];
  return [digestText(a), digestText(b)];
};
