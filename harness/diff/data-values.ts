import { CommandOutcome } from '../execute/step-outcome';
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

/**
 * The data-in of two paths as the comparison sees it: equal values where the bytes agree outside the
 * policy's masked ranges, otherwise each side's digest and the first byte where they part. Where only
 * digests travelled back, masks cannot apply and the digests are compared as they are.
 */
export const dataValues = (a: CommandOutcome, b: CommandOutcome, masking: readonly PolicyRule[]): [string, string] => {
  if (a.command.direction !== 'from-device') return ['none', 'none'];
  if (a.dataIn && b.dataIn) {
    const left = withRangesZeroed(a.dataIn, masking);
    const right = withRangesZeroed(b.dataIn, masking);
    if (left.equals(right)) return ['same', 'same'];
    const at = firstDifference(left, right);
    return [`${digestText(a)}, byte ${at} = ${left[at] ?? 'end'}`, `${digestText(b)}, byte ${at} = ${right[at] ?? 'end'}`];
  }
  return a.dataDigest === b.dataDigest ? ['same', 'same'] : [digestText(a), digestText(b)];
};
