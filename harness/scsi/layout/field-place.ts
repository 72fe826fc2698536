/** `width` bits of one CDB byte, the least significant at bit `lowBit` (the standards number bits 7..0). */
export interface BitSpan {
  readonly byte: number;
  readonly lowBit: number;
  readonly width: number;
}

/**
 * Where a field lives in a CDB: its spans from most to least significant. Most fields are one span or a
 * run of whole bytes; READ (6)'s LBA starts mid-byte and ATA PASS-THROUGH (16)'s LBA is scattered.
 */
export type FieldPlace = readonly BitSpan[];

/** `width` bits of `byte` whose most significant is bit `highBit`. */
export const bitsIn = (byte: number, highBit: number, width = 1): FieldPlace => [{ byte, lowBit: highBit - width + 1, width }];

/** `count` whole bytes from `first`, big-endian as every multi-byte CDB field is. */
export const wholeBytes = (first: number, count: number): FieldPlace =>
  Array.from({ length: count }, (_, index) => ({ byte: first + index, lowBit: 0, width: 8 }));

/** Whole bytes in the order given, most significant first. */
export const scatteredBytes = (...bytes: readonly number[]): FieldPlace => bytes.map((byte) => ({ byte, lowBit: 0, width: 8 }));

export const placeWidth = (place: FieldPlace): number => place.reduce((sum, span) => sum + span.width, 0);

export const lastByte = (place: FieldPlace): number => Math.max(...place.map((span) => span.byte));

export const spanMask = (span: BitSpan): number => ((1 << span.width) - 1) << span.lowBit;

export const readPlace = (bytes: Uint8Array, place: FieldPlace): bigint =>
  place.reduce(
    (value, span) => (value << BigInt(span.width)) | BigInt(((bytes[span.byte] ?? 0) & spanMask(span)) >> span.lowBit),
    0n,
  );

/** Writes the low bits of `value` into the place, leaving every other bit of the bytes as it was. */
export const writePlace = (bytes: Uint8Array, place: FieldPlace, value: bigint): void => {
  let rest = value;
  for (const span of [...place].reverse()) {
    const part = Number(rest & BigInt((1 << span.width) - 1));
    bytes[span.byte] = (bytes[span.byte] & ~spanMask(span)) | (part << span.lowBit);
    rest >>= BigInt(span.width);
  }
};
