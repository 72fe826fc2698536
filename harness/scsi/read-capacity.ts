/** READ CAPACITY (10) parameter data (SBC-4 5.20.2). */
export interface Capacity10 {
  readonly lastLba: number;
  readonly blockLength: number;
}

export const decodeReadCapacity10 = (bytes: Buffer): Capacity10 => {
  if (bytes.length < 8) throw new RangeError(`READ CAPACITY (10) data is ${bytes.length} bytes, needs 8`);
  return { lastLba: bytes.readUInt32BE(0), blockLength: bytes.readUInt32BE(4) };
};

export const blockCount = (capacity: Capacity10): number => capacity.lastLba + 1;
