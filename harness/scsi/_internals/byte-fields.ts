// Reading fields out of data-in bytes that may stop anywhere: every byte past the end reads as zero, so
// decoders return what they can and say separately that the data was truncated.

const byteAt = (bytes: Uint8Array, offset: number): number => bytes[offset] ?? 0;

export const bitAt = (bytes: Uint8Array, offset: number, bit: number): boolean => ((byteAt(bytes, offset) >> bit) & 1) === 1;

/** `width` bits of one byte whose most significant is bit `highBit` (the standards number bits 7..0). */
export const bitsAt = (bytes: Uint8Array, offset: number, highBit: number, width: number): number =>
  (byteAt(bytes, offset) >> (highBit - width + 1)) & ((1 << width) - 1);

/** A big-endian unsigned integer of up to 6 bytes, exact as a number. */
export const uintAt = (bytes: Uint8Array, offset: number, length: number): number => {
  let value = 0;
  for (let index = 0; index < length; index++) value = value * 256 + byteAt(bytes, offset + index);
  return value;
};

/** A big-endian unsigned integer of any length, for the 8-byte fields (LBAs, reservation keys). */
export const bigUintAt = (bytes: Uint8Array, offset: number, length: number): bigint => {
  let value = 0n;
  for (let index = 0; index < length; index++) value = (value << 8n) | BigInt(byteAt(bytes, offset + index));
  return value;
};

/** The bytes `start`..`end` that are there, possibly fewer than asked for. */
export const sliceAt = (bytes: Uint8Array, start: number, end: number): Buffer => Buffer.from(bytes.subarray(start, end));
