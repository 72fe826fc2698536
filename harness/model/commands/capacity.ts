import { CommandContext } from '../command-context';
import { DeviceState } from '../device-state';
import { ModelAnswer, completes, invalidFieldInCdb, permitting } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';

const lastLba = (state: DeviceState): bigint => BigInt(state.blocks) - 1n;

/** SBC-3 made an LBA without PMI invalid; SBC-4 made both obsolete, so a device may still reject it. */
const obsoletePmi = (context: CommandContext, answer: ModelAnswer): ModelAnswer =>
  context.wide('lba') !== 0n || context.flag('pmi') ? permitting(answer, invalidFieldInCdb(Requirements.reservedBits, 2, context.byteOf('pmi'))) : answer;

/** READ CAPACITY (10), SBC-4 5.20: eight bytes, the last LBA (FFFFFFFFh when it does not fit) and the block length. */
export const readCapacity10Answer = (context: CommandContext): ModelAnswer => {
  const expected = Buffer.alloc(8);
  const last = lastLba(context.state);
  expected.writeUInt32BE(last > 0xffffffffn ? 0xffffffff : Number(last), 0);
  expected.writeUInt32BE(context.state.blockBytes, 4);
  return obsoletePmi(
    context,
    completes({ transfer: 8, data: { kind: 'bytes', bytes: expected, open: [], requirement: Requirements.capacityData, where: capacityField } }),
  );
};

const capacityField = (offset: number): string => (offset < 8 ? 'RETURNED LOGICAL BLOCK ADDRESS' : offset < 12 ? 'LOGICAL BLOCK LENGTH IN BYTES' : `byte ${offset}`);

/**
 * READ CAPACITY (16), SBC-4 5.21: 32 bytes. The last LBA and block length are the model's; protection,
 * physical block exponent and provisioning bits are the device's choice, but LBPRZ must agree with the
 * Logical Block Provisioning page once both are seen, and the answer with itself.
 */
export const readCapacity16Answer = (context: CommandContext): ModelAnswer => {
  const allocation = context.number('allocationLength');
  const expected = Buffer.alloc(12);
  expected.writeBigUInt64BE(lastLba(context.state), 0);
  expected.writeUInt32BE(context.state.blockBytes, 8);
  const recorded = context.state.choices.inquiry.get('rc16');
  return optional(
    context,
    obsoletePmi(
      context,
      completes({
        transfer: Math.min(allocation, 32),
        data: {
          kind: 'structure',
          requirement: Requirements.capacityData,
          problems: (data) => [
            ...differences(expected, data, capacityField),
            ...(recorded ? differences(recorded.subarray(12), data.subarray(12), (offset) => `byte ${offset + 12} (provisioning and protection)`) : []),
          ],
        },
        effect: (state, data) => data && data.length >= 32 && state.choices.inquiry.set('rc16', Buffer.from(data.subarray(0, 32))),
      }),
    ),
  );
};

/** Where `actual` (as far as it goes) differs from `expected`, named. */
export const differences = (expected: Buffer, actual: Buffer, name: (offset: number) => string): string[] => {
  const length = Math.min(expected.length, actual.length);
  for (let offset = 0; offset < length; offset++) {
    if (expected[offset] !== actual[offset]) return [`${name(offset)}: byte ${offset} is ${actual[offset]}, expected ${expected[offset]}`];
  }
  return [];
};
