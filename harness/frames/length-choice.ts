import fc from 'fast-check';

/**
 * A length as a mutation states it: the natural one moved by a little (`delta`), or a fixed value at the edges
 * (0, 1, a page, the largest positive and the largest unsigned 32-bit numbers).
 */
export type LengthChoice = { readonly delta: number } | { readonly fixed: number };

export const edgeLengths = [0, 1, 4096, 0x7fff_ffff, 0xffff_ffff] as const;

export const lengthChoiceArbitrary: fc.Arbitrary<LengthChoice> = fc.oneof(
  fc.record({ delta: fc.constantFrom(-1, 1, -8, 8) }),
  fc.record({ fixed: fc.constantFrom(...edgeLengths) }),
);

/** The length a choice makes of `natural`, kept within an unsigned 32-bit field. */
export const resolveLength = (choice: LengthChoice, natural: number): number =>
  'fixed' in choice ? choice.fixed : Math.min(0xffff_ffff, Math.max(0, natural + choice.delta));
