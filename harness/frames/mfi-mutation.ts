import fc from 'fast-check';
import type { MegasasFrameKind } from '../qtest/megasas-command-frame';
import { MfiCommand, MfiFrameFlag } from '../qtest/mfi-frame';
import { AddressChoice, addressChoiceArbitrary } from './address-choice';
import { BaseCommand, baseCommandArbitrary } from './base-command';
import { LengthChoice, lengthChoiceArbitrary } from './length-choice';

/** The guarded buffers an MFI frame of a run has, by role: what mutated addresses point near. */
export const mfiBufferRoles = ['sense', 'data', 'spare'] as const;

/** One SGL entry a mutation writes in place of the frame's list. */
export interface SgEntryChoice {
  readonly address: AddressChoice;
  readonly length: LengthChoice;
}

/** The SGL's entry width: megasas.c reads 8 (32-bit), 12 (64-bit) or 16 (IEEE, "skinny") bytes per entry, by the header's flags. */
export type SglWidth = 'sgl32' | 'sgl64' | 'ieee';

/**
 * One field of the well-formed frame overridden. Fields megasas.c does not let change the SCSI answer are
 * `neutral` (see `answerNeutralMfi`): the width of addresses that fit either way, the timeout, the context's
 * high half, the frame count (megasas_enqueue_frame() maps a whole window whatever it says) and the data
 * entry split in pieces.
 */
export type MfiOverride =
  | { readonly field: 'cmd'; readonly value: number }
  | { readonly field: 'dcmd'; readonly opcode: number; readonly mailbox: readonly number[] }
  | { readonly field: 'flagBits'; readonly xor: number }
  | { readonly field: 'sglWidth'; readonly value: SglWidth }
  | { readonly field: 'senseWidth'; readonly value: 'sense32' | 'sense64' }
  | { readonly field: 'sgeCount'; readonly value: number }
  | { readonly field: 'sgl'; readonly entries: readonly SgEntryChoice[] }
  | { readonly field: 'sglSplit'; readonly parts: number }
  | { readonly field: 'frameCount'; readonly value: number }
  | { readonly field: 'senseLength'; readonly value: number }
  | { readonly field: 'senseAddress'; readonly address: AddressChoice }
  | { readonly field: 'dataTransferLength'; readonly length: LengthChoice }
  | { readonly field: 'targetId'; readonly value: number }
  | { readonly field: 'lun'; readonly value: number }
  | { readonly field: 'cdbLength'; readonly value: number }
  | { readonly field: 'timeout'; readonly value: number }
  | { readonly field: 'contextHigh'; readonly value: number };

/** A well-formed SCSI command frame, of the kind a driver would send it in, with a few fields overridden (applied in order). */
export interface MfiMutation {
  readonly command: BaseCommand;
  readonly kind: MegasasFrameKind;
  readonly overrides: readonly MfiOverride[];
}

/** megasas.c's DCMD table (mfi.h), CTRL_EVENT_WAIT among them (it completes only on an event), and an opcode it lacks. */
const dcmdOpcodes = [
  0x0100e100, 0x01010000, 0x01020100, 0x01020200, 0x01030100, 0x01040100, 0x01040300, 0x01040500, 0x01050000, 0x01060000, 0x01080101,
  0x01080102, 0x010c0100, 0x010e0201, 0x01101000, 0x02010000, 0x02010100, 0x02020000, 0x02030100, 0x03010000, 0x03010100, 0x03020000,
  0x03030000, 0x03040000, 0x04010000, 0x04020000, 0x04030000, 0x05010000, 0x08010100, 0x08010200, 0xdeadbeef,
] as const;

const neutralFields = new Set<MfiOverride['field']>(['sglWidth', 'senseWidth', 'timeout', 'contextHigh', 'frameCount', 'sglSplit']);

const neutralOverride: fc.Arbitrary<MfiOverride> = fc.oneof(
  fc.record({ field: fc.constant('sglWidth' as const), value: fc.constantFrom<SglWidth>('sgl32', 'sgl64', 'ieee') }),
  fc.record({ field: fc.constant('senseWidth' as const), value: fc.constantFrom('sense32' as const, 'sense64' as const) }),
  fc.record({ field: fc.constant('timeout' as const), value: fc.constantFrom(1, 0xffff) }),
  fc.record({ field: fc.constant('contextHigh' as const), value: fc.constantFrom(1, 0xffff_ffff) }),
  fc.record({ field: fc.constant('frameCount' as const), value: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ field: fc.constant('sglSplit' as const), parts: fc.integer({ min: 2, max: 4 }) }),
);

const byte = fc.integer({ min: 0, max: 0xff });
const address = addressChoiceArbitrary(mfiBufferRoles);

const anyOverride: fc.Arbitrary<MfiOverride> = fc.oneof(
  neutralOverride,
  fc.record({ field: fc.constant('cmd' as const), value: fc.oneof(fc.constantFrom(...Object.values(MfiCommand).filter((cmd) => cmd !== MfiCommand.dcmd)), byte) }),
  fc.record({ field: fc.constant('dcmd' as const), opcode: fc.constantFrom(...dcmdOpcodes), mailbox: fc.oneof(fc.constant(Array<number>(12).fill(0)), fc.array(byte, { minLength: 12, maxLength: 12 })) }),
  fc.record({ field: fc.constant('flagBits' as const), xor: fc.oneof(fc.constantFrom(...Object.values(MfiFrameFlag)), fc.integer({ min: 1, max: 0xffff })) }),
  fc.record({ field: fc.constant('sgeCount' as const), value: fc.constantFrom(0, 1, 2, 8, 64, 255) }),
  fc.record({ field: fc.constant('sgl' as const), entries: fc.array(fc.record({ address, length: lengthChoiceArbitrary }), { minLength: 0, maxLength: 4 }) }),
  fc.record({ field: fc.constant('senseLength' as const), value: fc.constantFrom(0, 1, 17, 18, 255) }),
  fc.record({ field: fc.constant('senseAddress' as const), address }),
  fc.record({ field: fc.constant('dataTransferLength' as const), length: lengthChoiceArbitrary }),
  fc.record({ field: fc.constant('targetId' as const), value: fc.constantFrom(1, 2, 63, 64, 128, 255) }),
  fc.record({ field: fc.constant('lun' as const), value: fc.constantFrom(1, 7, 255) }),
  fc.record({ field: fc.constant('cdbLength' as const), value: fc.constantFrom(0, 1, 16, 17, 255) }),
);

/** The frame's answer should not change: at least one override, and every one neutral. */
export const answerNeutralMfi = (mutation: MfiMutation): boolean =>
  mutation.overrides.length > 0 && mutation.overrides.every((override) => neutralFields.has(override.field));

/**
 * Frames with one to three overrides of any field, and one in four with neutral overrides alone, whose answer
 * the comparison oracle holds to the unmutated frame's; none at all now and then, to see what a bad frame left.
 */
export const mfiMutationArbitrary: fc.Arbitrary<MfiMutation> = fc.record({
  command: baseCommandArbitrary,
  kind: fc.constantFrom<MegasasFrameKind>('linux', 'ld', 'pd'),
  overrides: fc.oneof(
    { weight: 3, arbitrary: fc.array(anyOverride, { minLength: 0, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(neutralOverride, { minLength: 1, maxLength: 3 }) },
  ),
});
