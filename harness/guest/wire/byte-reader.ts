import { MalformedMessage } from './malformed-message';

export { MalformedMessage };

/** Reads little-endian protocol fields; reading past the end throws MalformedMessage. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  u8(): number {
    return this.buffer.readUInt8(this.advance(1));
  }

  u16(): number {
    return this.buffer.readUInt16LE(this.advance(2));
  }

  u32(): number {
    return this.buffer.readUInt32LE(this.advance(4));
  }

  i32(): number {
    return this.buffer.readInt32LE(this.advance(4));
  }

  u64(): bigint {
    return this.buffer.readBigUInt64LE(this.advance(8));
  }

  bytes(length: number): Buffer {
    const start = this.advance(length);
    return Buffer.from(this.buffer.subarray(start, start + length));
  }

  /** A u16 byte count and that many UTF-8 bytes; invalid sequences decode as U+FFFD. */
  str(): string {
    return this.bytes(this.u16()).toString('utf8');
  }

  /** A u32 byte count and the bytes. */
  bytes32(): Buffer {
    return this.bytes(this.u32());
  }

  expectEnd(): void {
    if (this.remaining !== 0) throw new MalformedMessage(`${this.remaining} trailing bytes`);
  }

  private advance(length: number): number {
    if (length > this.remaining) {
      throw new MalformedMessage(`needed ${length} bytes at offset ${this.offset}, only ${this.remaining} left`);
    }
    const start = this.offset;
    this.offset += length;
    return start;
  }
}
