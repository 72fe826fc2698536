import { CommandContext } from '../command-context';
import { ContentView } from '../block-content';
import { DataExpectation, ModelAnswer, Rejection, invalidFieldInCdb, lbaOutOfRange, permitting, requiring } from '../model-answer';
import { Requirement, Requirements } from '../requirement';

/** A range of logical blocks a command names. */
export interface BlockRange {
  readonly lba: bigint;
  readonly blocks: number;
}

/** The CDB's LBA and length: READ (6) and WRITE (6) read a TRANSFER LENGTH of 0 as 256 blocks (SBC-4 5.17, 5.41). */
export const blockRangeOf = (context: CommandContext): BlockRange => {
  const blocks = context.number('blocks');
  return { lba: context.wide('lba'), blocks: context.cdb.length > 0 && context.layout.length === 6 ? blocks || 256 : blocks };
};

/**
 * SBC-4 4.5: a range reaching past the last LBA is LOGICAL BLOCK ADDRESS OUT OF RANGE. A range of no
 * blocks accesses none: at the capacity itself the standard's wording ("the LBA exceeds the capacity")
 * allows either answer; past it, the LBA alone is out of range.
 */
export const withinCapacity = (context: CommandContext, range: BlockRange, answer: ModelAnswer): ModelAnswer => {
  const capacity = BigInt(context.state.blocks);
  if (range.blocks === 0) {
    if (range.lba > capacity) return requiring(answer, lbaOutOfRange());
    return range.lba === capacity ? permitting(answer, lbaOutOfRange()) : answer;
  }
  return range.lba + BigInt(range.blocks) > capacity ? { ...requiring(answer, lbaOutOfRange()), completion: undefined } : answer;
};

/** RDPROTECT, WRPROTECT, VRPROTECT: nonzero only where the device has protection information. */
export const withoutProtection = (context: CommandContext, key: string, answer: ModelAnswer): ModelAnswer => {
  if (context.number(key) === 0) return answer;
  const protect = context.state.protect;
  const rejection = invalidFieldInCdb(Requirements.protectionInformation, 1);
  if (!protect.known) return permitting(answer, rejection);
  return protect.value ? { ...answer, unjudged: 'protection information is not modelled' } : requiring(answer, rejection);
};

/** Block Limits' MAXIMUM TRANSFER LENGTH, once the device has stated it (zero: no limit). */
export const withinTransferLimit = (context: CommandContext, range: BlockRange, answer: ModelAnswer): ModelAnswer => {
  const limits = context.state.blockLimits;
  const maximum = limits && limits.length >= 12 ? limits.readUInt32BE(8) : 0;
  return maximum !== 0 && range.blocks > maximum ? requiring(answer, invalidFieldInCdb(Requirements.maximumTransferLength, context.byteOf('blocks'))) : answer;
};

/** Fields a device may reject when it does not implement what they ask: GROUP NUMBER, RARC, the duration limit bits. */
export const optionalHints = (context: CommandContext, answer: ModelAnswer): ModelAnswer => {
  const set = ['group', 'rarc', 'dld0', 'dld1', 'dld2'].filter((key) => key in context.layout.fields && context.number(key) !== 0);
  return set.length === 0 ? answer : permitting(answer, ...set.map((key) => invalidFieldInCdb(Requirements.reservedBits, context.byteOf(key))));
};

/** The blocks' content as a data expectation: what a READ must return. */
export const contentExpectation = (context: CommandContext, range: BlockRange, requirement: Requirement): DataExpectation & { kind: 'bytes' } => {
  const size = context.state.blockBytes;
  // Past the capacity the command cannot complete, so there is nothing to read: the view stops at the last block.
  const within = Math.max(0, Math.min(range.blocks, context.state.blocks - Number(range.lba)));
  const view: ContentView = context.state.content.read(Number(range.lba) * size, within * size, context.state.lbprz);
  return {
    kind: 'bytes',
    bytes: view.bytes,
    open: view.open,
    requirement,
    where: (offset) => `LBA ${Number(range.lba) + Math.floor(offset / size)} byte ${offset % size}`,
  };
};

/** The first byte where `sent` and the medium differ, or undefined; 'open' when the model cannot tell. */
export const firstMismatch = (expected: DataExpectation & { kind: 'bytes' }, sent: Buffer): number | 'open' | undefined => {
  for (let index = 0; index < sent.length; index++) {
    if (expected.open.some(([from, to]) => index >= from && index < to)) return 'open';
    if (sent[index] !== expected.bytes[index]) return index;
  }
  return undefined;
};

/** MISCOMPARE DURING VERIFY OPERATION; with the offset of the first differing byte where the model knows it. */
export const miscompare = (offset?: number): Rejection => ({
  status: 'CHECK CONDITION',
  sense: { key: 0x0e, asc: 0x1d, ascq: 0x00, ...(offset === undefined ? {} : { information: BigInt(offset) }) },
  requirement: Requirements.miscompare,
});
