/** Appends little-endian protocol fields to a growing buffer. Out-of-range values throw RangeError. */
export class ByteWriter {
  private buffer = Buffer.alloc(256);
  private length = 0;

  u8(value: number): this {
    this.reserve(1);
    this.length = this.buffer.writeUInt8(value, this.length);
    return this;
  }

  u16(value: number): this {
    this.reserve(2);
    this.length = this.buffer.writeUInt16LE(value, this.length);
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.length = this.buffer.writeUInt32LE(value, this.length);
    return this;
  }

  i32(value: number): this {
    this.reserve(4);
    this.length = this.buffer.writeInt32LE(value, this.length);
    return this;
  }

  u64(value: bigint): this {
    this.reserve(8);
    this.length = this.buffer.writeBigUInt64LE(value, this.length);
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** A u16 byte count and the UTF-8 bytes. */
  str(value: string): this {
    const encoded = Buffer.from(value, 'utf8');
    if (encoded.length > 0xffff) {
      throw new RangeError(`string of ${encoded.length} UTF-8 bytes does not fit a u16 length`);
    }
    return this.u16(encoded.length).bytes(encoded);
  }

  /** A u32 byte count and the bytes. */
  bytes32(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  private reserve(extra: number): void {
    if (this.buffer.length - this.length >= extra) return;
    let capacity = this.buffer.length * 2;
    while (capacity - this.length < extra) capacity *= 2;
    const grown = Buffer.alloc(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
