/** Guest memory a frame hands the device to write: where a write into a guard is the frame's doing, not the device's. */
export interface AddressRange {
  readonly start: bigint;
  readonly length: number;
}

export const rangeHolds = (range: AddressRange, address: number): boolean => {
  const at = BigInt(address);
  return at >= range.start && at < range.start + BigInt(range.length);
};
