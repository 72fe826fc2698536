/**
 * FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3): the digest the guest agent
 * gives of each data-in buffer, so the host can compare it with the digest of the data it expects.
 */
export function fnv1a64(data: Uint8Array): bigint {
  // The hash as two 32-bit halves, because a BigInt step per byte takes seconds over a disk's worth of
  // data. The prime is 2^40 + 0x1b3, so hash * prime = hash * 0x1b3 + (low half << 40) modulo 2^64; every
  // intermediate stays below 2^53, where doubles are exact. Plain operators rather than Math.imul and
  // Math.floor, which run dozens of times slower inside jest's sandbox.
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < data.length; index++) {
    const mixed = (low ^ data[index]) >>> 0;
    const lowProduct = mixed * 0x1b3;
    const carry = (lowProduct / 0x1_0000_0000) >>> 0;
    high = (high * 0x1b3 + carry + (mixed << 8)) >>> 0;
    low = lowProduct >>> 0;
  }
  return (BigInt(high) << 32n) | BigInt(low);
}
