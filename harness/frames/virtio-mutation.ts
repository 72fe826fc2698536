import fc from 'fast-check';
import { AddressChoice, addressChoiceArbitrary } from './address-choice';
import { BaseCommand, baseCommandArbitrary } from './base-command';
import { LengthChoice, lengthChoiceArbitrary } from './length-choice';

/** The guarded buffers a virtio-scsi request of a run has, by role: what descriptors are built over, and mutated addresses point near. */
export const virtioBufferRoles = ['request', 'data-out', 'response', 'data-in', 'spare'] as const;
export type VirtioBufferRole = (typeof virtioBufferRoles)[number];

/** The buffers a chain may split in two descriptors or leave out. */
export type ChainRole = 'request' | 'data' | 'response';

/** Where a mutated descriptor's `next` points: past the queue's last slot, back at itself, back at the head, or at a fixed slot. */
export type NextChoice = { readonly pastQueue: number } | { readonly to: 'self' | 'head' } | { readonly slot: number };

/**
 * One change to the well-formed chain or its request. Neutral (see `answerNeutralVirtio`): the request's task
 * attribute among the four SAM defines, its priority and CRN, which QEMU's virtio-scsi does not pass to the
 * device, and a buffer split across two descriptors, which the virtio spec (2.6.4, message framing) forbids a
 * device to notice.
 */
export type VirtioOverride =
  | { readonly field: 'lunBytes'; readonly bytes: readonly number[] }
  | { readonly field: 'taskAttr'; readonly value: number }
  | { readonly field: 'prio'; readonly value: number }
  | { readonly field: 'crn'; readonly value: number }
  | { readonly field: 'requestBytes'; readonly value: number }
  | { readonly field: 'responseBytes'; readonly value: number }
  | { readonly field: 'split'; readonly role: ChainRole; readonly at: number }
  | { readonly field: 'dropDescriptor'; readonly role: ChainRole }
  | { readonly field: 'extraDescriptor'; readonly position: number; readonly address: AddressChoice; readonly length: LengthChoice; readonly writable: boolean }
  | { readonly field: 'descriptorLength'; readonly index: number; readonly length: LengthChoice }
  | { readonly field: 'descriptorFlags'; readonly index: number; readonly xor: number }
  | { readonly field: 'descriptorNext'; readonly index: number; readonly next: NextChoice };

export interface VirtioMutation {
  readonly command: BaseCommand;
  readonly overrides: readonly VirtioOverride[];
}

const byte = fc.integer({ min: 0, max: 0xff });
/** Descriptors are counted modulo the chain's length, so any index names one. */
const descriptorIndex = fc.integer({ min: 0, max: 5 });
const chainRole = fc.constantFrom<ChainRole>('request', 'data', 'response');

const neutralOverride: fc.Arbitrary<VirtioOverride> = fc.oneof(
  fc.record({ field: fc.constant('taskAttr' as const), value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ field: fc.constant('prio' as const), value: fc.constantFrom(1, 0xff) }),
  fc.record({ field: fc.constant('crn' as const), value: fc.constantFrom(1, 0xff) }),
  fc.record({ field: fc.constant('split' as const), role: chainRole, at: fc.constantFrom(1, 8, 12, 19, 256) }),
);

/** The LUN field's single-level form broken in each of its parts: the leading 1, the target, the flat-space bits, the trailing zeroes. */
const lunBytes: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constantFrom([0, 0, 0x40, 0, 0, 0, 0, 0], [2, 0, 0x40, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0x40, 0, 1, 0, 0, 0], [1, 0, 0x7f, 0xff, 0, 0, 0, 0], [1, 0xff, 0x40, 0, 0, 0, 0, 0]),
  fc.array(byte, { minLength: 8, maxLength: 8 }),
);

const nextChoice: fc.Arbitrary<NextChoice> = fc.oneof(
  fc.record({ pastQueue: fc.constantFrom(0, 1, 0xffff) }),
  fc.record({ to: fc.constantFrom('self' as const, 'head' as const) }),
  fc.record({ slot: fc.integer({ min: 0, max: 15 }) }),
);

const anyOverride: fc.Arbitrary<VirtioOverride> = fc.oneof(
  neutralOverride,
  fc.record({ field: fc.constant('lunBytes' as const), bytes: lunBytes }),
  fc.record({ field: fc.constant('taskAttr' as const), value: byte }),
  fc.record({ field: fc.constant('requestBytes' as const), value: fc.constantFrom(0, 1, 8, 18, 19, 20, 50, 4096) }),
  fc.record({ field: fc.constant('responseBytes' as const), value: fc.constantFrom(0, 1, 11, 12, 13, 4096) }),
  fc.record({ field: fc.constant('dropDescriptor' as const), role: chainRole }),
  fc.record({
    field: fc.constant('extraDescriptor' as const),
    position: descriptorIndex,
    address: addressChoiceArbitrary(virtioBufferRoles),
    length: lengthChoiceArbitrary,
    writable: fc.boolean(),
  }),
  fc.record({ field: fc.constant('descriptorLength' as const), index: descriptorIndex, length: lengthChoiceArbitrary }),
  fc.record({ field: fc.constant('descriptorFlags' as const), index: descriptorIndex, xor: fc.constantFrom(1, 2, 3, 4, 0x8000) }),
  fc.record({ field: fc.constant('descriptorNext' as const), index: descriptorIndex, next: nextChoice }),
);

const neutralFields = new Set<VirtioOverride['field']>(['prio', 'crn', 'split']);

export const answerNeutralVirtio = (mutation: VirtioMutation): boolean =>
  mutation.overrides.length > 0 &&
  mutation.overrides.every((override) => neutralFields.has(override.field) || (override.field === 'taskAttr' && override.value <= 3));

/** Chains with one to three changes, one in four with neutral changes alone (held to the unmutated chain's answer), now and then none. */
export const virtioMutationArbitrary: fc.Arbitrary<VirtioMutation> = fc.record({
  command: baseCommandArbitrary,
  overrides: fc.oneof(
    { weight: 3, arbitrary: fc.array(anyOverride, { minLength: 0, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(neutralOverride, { minLength: 1, maxLength: 3 }) },
  ),
});
