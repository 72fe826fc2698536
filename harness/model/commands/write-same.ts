import { CommandContext } from '../command-context';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, requiring } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { BlockRange, blockRangeOf, optionalHints, withinCapacity, withoutProtection } from './block-range';

/** Block Limits' WSNZ and MAXIMUM WRITE SAME LENGTH, once the device has stated them. */
const writeSameLimits = (context: CommandContext): { wsnz: boolean | undefined; maximum: bigint } => {
  const limits = context.state.blockLimits;
  return { wsnz: limits && limits.length > 4 ? (limits[4] & 1) === 1 : undefined, maximum: limits && limits.length >= 44 ? limits.readBigUInt64BE(36) : 0n };
};

/**
 * WRITE SAME (10/16), SBC-4 5.50-5.51: one block of data-out (zeros with NDOB) written to every block of the
 * range; NUMBER OF LOGICAL BLOCKS 0 means to the last LBA, unless WSNZ forbids it. With UNMAP the device
 * may deallocate instead, but only where the blocks then read back as the data sent, so the content is
 * the data either way.
 */
export const writeSameAnswer = (context: CommandContext): ModelAnswer => {
  const state = context.state;
  const size = state.blockBytes;
  const requested = blockRangeOf(context);
  const range: BlockRange = requested.blocks === 0 ? { lba: requested.lba, blocks: Math.max(0, state.blocks - Number(requested.lba)) } : requested;
  const ndob = context.flag('ndob');
  const block = ndob ? Buffer.alloc(size) : context.parameters;
  let answer: ModelAnswer = completes({
    transfer: ndob ? 0 : size,
    effect: (after) => block && after.content.write(Number(range.lba) * size, Buffer.concat(Array.from({ length: range.blocks }, () => block.subarray(0, size)))),
    uncertain: (after) => after.content.mark(Number(range.lba) * size, range.blocks * size, 'unknown'),
  });
  const { wsnz, maximum } = writeSameLimits(context);
  const blocksByte = context.byteOf('blocks');
  if (requested.blocks === 0) {
    if (wsnz === true) answer = { ...requiring(answer, invalidFieldInCdb(Requirements.writeSame, blocksByte)), completion: undefined };
    else if (wsnz === undefined) answer = permitting(answer, invalidFieldInCdb(Requirements.writeSame, blocksByte));
  }
  if (maximum > 0n && BigInt(range.blocks) > maximum) answer = { ...requiring(answer, invalidFieldInCdb(Requirements.writeSame, blocksByte)), completion: undefined };
  // ANCHOR without UNMAP is invalid (the table's oddity); with it, anchoring is optional (ANC_SUP); NDOB is optional.
  if (context.flag('anchor')) answer = context.flag('unmap') ? permitting(answer, invalidFieldInCdb(Requirements.writeSame, 1)) : requiring(answer, invalidFieldInCdb(Requirements.writeSame, 1));
  if (ndob || context.flag('unmap')) answer = permitting(answer, invalidFieldInCdb(Requirements.writeSame, 1));
  return optional(context, withinCapacity(context, requested, withoutProtection(context, 'wrprotect', optionalHints(context, answer))));
};
