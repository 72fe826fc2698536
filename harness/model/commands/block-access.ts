import { CommandContext } from '../command-context';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, rejects, requiring } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import {
  BlockRange,
  blockRangeOf,
  contentExpectation,
  firstMismatch,
  miscompare,
  optionalHints,
  withinCapacity,
  withinTransferLimit,
  withoutProtection,
} from './block-range';

const bytesOf = (context: CommandContext, range: BlockRange): number => range.blocks * context.state.blockBytes;

const offsetOf = (context: CommandContext, range: BlockRange): number => Number(range.lba) * context.state.blockBytes;

/** The checks every READ, WRITE and VERIFY CDB shares, around the command's own answer. */
const checkedAccess = (context: CommandContext, protectionKey: string, range: BlockRange, answer: ModelAnswer): ModelAnswer =>
  withinCapacity(context, range, withinTransferLimit(context, range, withoutProtection(context, protectionKey, optionalHints(context, answer))));

/** READ (6/10/12/16), SBC-4 5.16-5.19: the blocks' content, block size times the transfer length. */
export const readAnswer = (context: CommandContext): ModelAnswer => {
  const range = blockRangeOf(context);
  return checkedAccess(
    context,
    'rdprotect',
    range,
    completes({ transfer: bytesOf(context, range), data: contentExpectation(context, range, Requirements.readReturnsWritten) }),
  );
};

const writing = (context: CommandContext, range: BlockRange): ModelAnswer =>
  completes({
    transfer: bytesOf(context, range),
    effect: (state) => context.parameters && state.content.write(offsetOf(context, range), context.parameters),
    uncertain: (state) => state.content.mark(offsetOf(context, range), bytesOf(context, range), 'unknown'),
  });

/** WRITE (6/10/12/16), SBC-4 5.40-5.43: the data-out replaces the blocks. */
export const writeAnswer = (context: CommandContext): ModelAnswer => {
  const range = blockRangeOf(context);
  return checkedAccess(context, 'wrprotect', range, writing(context, range));
};

/** WRITE AND VERIFY (10/16), SBC-4 5.44-5.45: a write, then a verify that what was written reads back (it must). */
export const writeAndVerifyAnswer = (context: CommandContext): ModelAnswer =>
  optional(context, checkedAccess(context, 'wrprotect', blockRangeOf(context), writing(context, blockRangeOf(context))));

/** The data-out VERIFY compares with the blocks: all of them (BYTCHK 01b), or one block with each (11b). */
const verifyCompare = (context: CommandContext, range: BlockRange): ModelAnswer => {
  const sent = context.parameters;
  const expected = contentExpectation(context, range, Requirements.miscompare);
  const size = context.state.blockBytes;
  // The one block sent stands for every block of the range; the comparison stops at the first byte past the
  // medium's view (the capacity), so one block beyond it is as many as it can reach: a range of 4 billion
  // blocks (VERIFY (16)) is not 2 TiB of copies.
  const repeats = Math.min(range.blocks, expected.bytes.length / size + 1);
  const compared = sent && context.number('bytchk') === 3 ? Buffer.concat(Array.from({ length: repeats }, () => sent.subarray(0, size))) : sent;
  const mismatch = compared ? firstMismatch(expected, compared) : 'open';
  const completion = { transfer: context.number('bytchk') === 3 ? size : bytesOf(context, range) };
  if (mismatch === undefined) return completes(completion);
  if (mismatch === 'open') return permitting(completes(completion), miscompare());
  // With BYTCHK 11b the offset counts in the one block sent.
  return rejects(miscompare(context.number('bytchk') === 3 ? mismatch % size : mismatch));
};

/**
 * VERIFY (10/16), SBC-4 5.33-5.34: BYTCHK 00b checks the medium only; 01b and 11b compare data-out with it.
 * 11b, new in SBC-4, is taken as optional: a device that does not know it rejects it as INVALID FIELD IN CDB.
 */
export const verifyAnswer = (context: CommandContext): ModelAnswer => {
  const range = blockRangeOf(context);
  const compare = context.number('bytchk') === 0 || range.blocks === 0 ? completes({ transfer: 0 }) : verifyCompare(context, range);
  const answer = context.number('bytchk') === 3 ? permitting(compare, invalidFieldInCdb(Requirements.miscompare, 1)) : compare;
  return optional(context, withinCapacity(context, range, withoutProtection(context, 'vrprotect', optionalHints(context, answer))));
};

/** COMPARE AND WRITE, SBC-4 5.3: compare the first half of the data-out with the blocks; only if equal, write the second. */
export const compareAndWriteAnswer = (context: CommandContext): ModelAnswer => {
  const range = blockRangeOf(context);
  const limits = context.state.blockLimits;
  const size = context.state.blockBytes;
  const sent = context.parameters;
  let answer: ModelAnswer;
  if (range.blocks === 0) answer = completes({ transfer: 0 });
  else {
    const mismatch = sent ? firstMismatch(contentExpectation(context, range, Requirements.miscompare), sent.subarray(0, range.blocks * size)) : 'open';
    const write = {
      transfer: 2 * range.blocks * size,
      effect: (state: typeof context.state) => sent && state.content.write(offsetOf(context, range), sent.subarray(range.blocks * size)),
      uncertain: (state: typeof context.state) => state.content.mark(offsetOf(context, range), range.blocks * size, 'unknown'),
    };
    answer = mismatch === undefined ? completes(write) : mismatch === 'open' ? permitting(completes(write), miscompare()) : rejects(miscompare(mismatch));
  }
  // SBC-4 6.6.4: MAXIMUM COMPARE AND WRITE LENGTH bounds NUMBER OF LOGICAL BLOCKS.
  const maximum = limits && limits.length > 5 ? limits[5] : undefined;
  if (maximum !== undefined && range.blocks > maximum) answer = { ...requiring(answer, invalidFieldInCdb(Requirements.maximumTransferLength, 13)), completion: undefined };
  return optional(context, withinCapacity(context, range, withoutProtection(context, 'wrprotect', optionalHints(context, answer))));
};
