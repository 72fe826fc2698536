import { CommandContext } from '../command-context';
import { DeviceState } from '../device-state';
import {
  ModelAnswer,
  completes,
  invalidFieldInCdb,
  invalidFieldInParameters,
  lbaOutOfRange,
  parameterListLengthError,
  rejects,
  requiring,
} from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { blockRangeOf, withinCapacity } from './block-range';

interface UnmapExtent {
  readonly lba: bigint;
  readonly blocks: number;
}

/** Block Limits' MAXIMUM UNMAP LBA COUNT and MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT, once stated (0: none allowed). */
const unmapLimits = (state: DeviceState): { lbas: number; descriptors: number } | undefined => {
  const limits = state.blockLimits;
  return limits && limits.length >= 28 ? { lbas: limits.readUInt32BE(20), descriptors: limits.readUInt32BE(24) } : undefined;
};

/**
 * UNMAP, SBC-4 5.32: a parameter list of 8 header bytes and 16-byte descriptors. PARAMETER LIST LENGTH 0 is
 * no list and no error; a list too short for its header, or whose lengths overrun it, is PARAMETER LIST
 * LENGTH ERROR; a descriptor past the capacity is LBA OUT OF RANGE; past the Block Limits, INVALID FIELD IN
 * PARAMETER LIST. What was unmapped reads back as LBPRZ says.
 */
export const unmapAnswer = (context: CommandContext): ModelAnswer => {
  const list = context.parameters;
  const length = context.number('parameterListLength');
  if (context.flag('anchor')) return optional(context, { ...rejects(invalidFieldInCdb(Requirements.unmapParameters, 1)), completion: { transfer: length } });
  if (length === 0) return optional(context, completes({ transfer: 0 }));
  if (!list) return optional(context, { required: [], permitted: [], completion: { transfer: length, uncertain: forgetProvisioning }, unjudged: 'the host sent less than the parameter list' });
  if (length < 8) return optional(context, rejects(parameterListLengthError(Requirements.unmapParameters)));
  const dataLength = list.readUInt16BE(0);
  const descriptorLength = list.readUInt16BE(2);
  // SBC-4: UNMAP DATA LENGTH and UNMAP BLOCK DESCRIPTOR DATA LENGTH must fit the list; a descriptor length not a multiple of 16 is invalid.
  if (dataLength + 2 > length || descriptorLength + 8 > length) return optional(context, rejects(parameterListLengthError(Requirements.unmapParameters), invalidFieldInParameters(Requirements.unmapParameters, 0, 2)));
  if (descriptorLength % 16 !== 0) return optional(context, rejects(invalidFieldInParameters(Requirements.unmapParameters, 2), parameterListLengthError(Requirements.unmapParameters)));
  const extents: UnmapExtent[] = [];
  for (let offset = 8; offset + 16 <= 8 + descriptorLength; offset += 16) extents.push({ lba: list.readBigUInt64BE(offset), blocks: list.readUInt32BE(offset + 8) });
  const capacity = BigInt(context.state.blocks);
  const limits = unmapLimits(context.state);
  const answer = completes({ transfer: length, effect: (state) => extents.forEach((extent) => deallocate(state, extent)), uncertain: forgetProvisioning });
  if (extents.some((extent) => extent.lba + BigInt(extent.blocks) > capacity)) return optional(context, { ...rejects(lbaOutOfRange()) });
  if (limits && (extents.length > limits.descriptors || extents.some((extent) => extent.blocks > limits.lbas))) {
    return optional(context, rejects(invalidFieldInParameters(Requirements.unmapParameters, ...extents.map((_, index) => 8 + 16 * index + 8), 0, 2)));
  }
  return optional(context, answer);
};

const deallocate = (state: DeviceState, extent: UnmapExtent): void =>
  state.content.mark(Number(extent.lba) * state.blockBytes, extent.blocks * state.blockBytes, 'deallocated');

/** An UNMAP that completed on a partial list: the model can no longer vouch for any block's read-back. */
const forgetProvisioning = (state: DeviceState): void => state.content.mark(0, state.content.bytes, 'unknown');

/** GET LBA STATUS (16), SBC-4 5.7: descriptors from the STARTING LOGICAL BLOCK ADDRESS on; past the last LBA, out of range. */
export const getLbaStatusAnswer = (context: CommandContext): ModelAnswer => {
  const lba = context.wide('lba');
  const allocation = context.number('allocationLength');
  const answer = completes({
    transfer: (data) => (data.length >= 4 ? Math.min(allocation, data.readUInt32BE(0) + 4) : undefined),
    data: {
      kind: 'structure',
      requirement: Requirements.lbaStatus,
      problems: (data) => (data.length >= 16 && data.readBigUInt64BE(8) !== lba ? [`the first descriptor starts at LBA ${data.readBigUInt64BE(8)}, not ${lba}`] : []),
    },
  });
  const checked = lba >= BigInt(context.state.blocks) ? requiring({ ...answer, completion: undefined }, lbaOutOfRange()) : answer;
  return optional(context, checked);
};

/** SYNCHRONIZE CACHE (10/16), SBC-4 5.27-5.28: the range (0 blocks: to the last LBA) must lie within the capacity. */
export const synchronizeCacheAnswer = (context: CommandContext): ModelAnswer => {
  const range = blockRangeOf(context);
  const answer = completes({ transfer: 0 });
  const immediate = context.flag('immed') ? { ...answer, permitted: [invalidFieldInCdb(Requirements.synchronizeCache, 1)] } : answer;
  return optional(context, withinCapacity(context, range, immediate));
};
