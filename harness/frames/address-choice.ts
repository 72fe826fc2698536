import fc from 'fast-check';
import type { GuardedBuffer } from '../qtest/guest-memory';

/**
 * Addresses a mutated frame may hand the device that lie nowhere near the command's buffers: guest-physical 0,
 * the window where hbadiff puts PCI BARs (the HBA's own registers: DMA into its own MMIO), the first byte past
 * 4 GiB (no RAM on a 512 MiB machine; truncated to 0 where a field is 32 bits), and the top of the address space.
 */
export const fixedAddresses = {
  zero: 0n,
  'bar-window': 0xe000_0000n,
  'above-4g': 0x1_0000_0000n,
  top: 0xffff_ffff_ffff_f000n,
} as const;

export type FixedAddress = keyof typeof fixedAddresses;

/**
 * Where a mutated address points: at or near one of the run's own buffers (by the role it plays, so that a
 * value means the same on any QEMU whatever the allocator handed out), or at a fixed address. `from: 'end'`
 * counts from the buffer's end, so `{ from: 'end', delta: 0 }` is its first guard byte.
 */
export type AddressChoice =
  | { readonly near: string; readonly from: 'start' | 'end'; readonly delta: number }
  | { readonly fixed: FixedAddress };

/** Offsets around a buffer's edges: into its guard (64 bytes), across the edge, and just inside. */
const edgeDeltas = [-64, -8, -1, 0, 1, 8] as const;

export const addressChoiceArbitrary = (roles: readonly string[]): fc.Arbitrary<AddressChoice> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ near: fc.constantFrom(...roles), from: fc.constantFrom('start' as const, 'end' as const), delta: fc.constantFrom(...edgeDeltas) }) },
    { weight: 1, arbitrary: fc.record({ fixed: fc.constantFrom(...(Object.keys(fixedAddresses) as FixedAddress[])) }) },
  );

/** Bytes of the buffer no well-formed frame names, for mutated addresses to point into: writes there are the frame's doing. */
export const spareBytes = 512;

/** The buffers of one frame by role; a role the frame lacks is taken by `fallback`, which every frame has. */
export interface BufferPlaces {
  readonly byRole: ReadonlyMap<string, GuardedBuffer>;
  readonly fallback: GuardedBuffer;
}

/** The places of a frame's buffers, named by role; absent buffers (no data for a command that moves none) are left out. */
export const bufferPlaces = (buffers: Readonly<Record<string, GuardedBuffer | undefined>>, fallback: GuardedBuffer): BufferPlaces => ({
  byRole: new Map(Object.entries(buffers).flatMap(([role, buffer]) => (buffer ? [[role, buffer] as const] : []))),
  fallback,
});

export const resolveAddress = (choice: AddressChoice, places: BufferPlaces): bigint => {
  if ('fixed' in choice) return fixedAddresses[choice.fixed];
  const buffer = places.byRole.get(choice.near) ?? places.fallback;
  const edge = choice.from === 'start' ? buffer.address : buffer.address + buffer.length;
  return BigInt(edge + choice.delta);
};
