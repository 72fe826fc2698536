import type { QtestClient } from './qtest-client';

/** Guest RAM the allocator hands out: above the first MiB (BIOS areas, legacy holes), up to the end of low RAM. */
export interface RamWindow {
  readonly start: number;
  readonly end: number;
}

/** A buffer with guard bytes either side, for telling a device's stray writes from its proper ones. */
export interface GuardedBuffer {
  /** What the buffer is for, as a stray write's report names it. */
  readonly label: string;
  readonly address: number;
  readonly length: number;
}

/** Where the allocator stood: `release(mark)` frees everything allocated after it. */
export interface AllocationMark {
  readonly next: number;
  readonly guarded: number;
}

/** The guard pattern: a repeated word no zero fill, 0xff fill or little counter looks like. */
const guardWord = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
const defaultGuardBytes = 64;

const guardOf = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, index) => guardWord[index % guardWord.length]));

const alignUp = (value: number, align: number): number => Math.ceil(value / align) * align;

const hex = (value: number): string => `0x${value.toString(16)}`;

/** One guard of a live guarded buffer whose bytes are no longer the pattern. */
export interface GuardChange {
  readonly buffer: GuardedBuffer;
  readonly side: 'before' | 'after';
  /** The guest addresses of the bytes that changed, in order. */
  readonly changed: readonly number[];
  readonly expected: Buffer;
  readonly seen: Buffer;
  readonly guardAddress: number;
}

/** What changed in one guard, as one line: where, how many bytes, and the first change. */
const describeChange = ({ buffer, side, changed, expected, seen, guardAddress }: GuardChange): string => {
  const first = changed[0] - guardAddress;
  return (
    `${buffer.label} (${buffer.length} bytes at ${hex(buffer.address)}): ${changed.length} guard byte(s) ${side} it changed, ` +
    `first at ${hex(changed[0])}: ${hex(expected[first])} -> ${hex(seen[first])}`
  );
};

/**
 * A bump allocator over guest RAM for the buffers a driver hands its device, with canaries: a guarded buffer
 * has `guardBytes` of a fixed pattern either side, and `strayWrites()` reports every guard that changed.
 */
export class GuestMemory {
  private next: number;
  private readonly guarded: GuardedBuffer[] = [];

  constructor(
    private readonly qtest: QtestClient,
    private readonly window: RamWindow,
    readonly guardBytes: number = defaultGuardBytes,
  ) {
    this.next = window.start;
  }

  /** `size` bytes aligned to `align`; their content is whatever guest RAM held. */
  alloc(size: number, align = 16): number {
    return this.place(size, align, 0);
  }

  /**
   * A buffer holding `content` (or `content` zero bytes), with guards either side, written in one request.
   * The guards are checked by `strayWrites()` until the buffer is released.
   */
  async allocGuarded(label: string, content: Buffer | number, align = 16): Promise<GuardedBuffer> {
    const body = typeof content === 'number' ? Buffer.alloc(content) : content;
    const guard = guardOf(this.guardBytes);
    const address = this.place(body.length, align, this.guardBytes);
    const buffer = { label, address, length: body.length };
    this.guarded.push(buffer);
    await this.qtest.memwrite(address - this.guardBytes, Buffer.concat([guard, body, guard]));
    return buffer;
  }

  /** Every guard of a live guarded buffer whose bytes are no longer the pattern. */
  async changedGuards(): Promise<GuardChange[]> {
    const expected = guardOf(this.guardBytes);
    const checks = this.guarded.flatMap((buffer) =>
      (
        [
          ['before', buffer.address - this.guardBytes],
          ['after', buffer.address + buffer.length],
        ] as const
      ).map(async ([side, guardAddress]): Promise<GuardChange> => {
        const seen = await this.qtest.memread(guardAddress, this.guardBytes);
        const changed = [...seen.keys()].filter((index) => seen[index] !== expected[index]).map((index) => guardAddress + index);
        return { buffer, side, changed, expected, seen, guardAddress };
      }),
    );
    return (await Promise.all(checks)).filter((change) => change.changed.length > 0);
  }

  /** One line for each guard of a live guarded buffer whose bytes are no longer the pattern. */
  async strayWrites(): Promise<string[]> {
    return (await this.changedGuards()).map(describeChange);
  }

  mark(): AllocationMark {
    return { next: this.next, guarded: this.guarded.length };
  }

  /** Frees everything allocated since `mark`, and stops checking the guards of what it frees. */
  release(mark: AllocationMark): void {
    this.next = mark.next;
    this.guarded.length = mark.guarded;
  }

  /** `size` bytes at an address aligned to `align` with `margin` bytes free either side (the buffer is aligned, not its guard). */
  private place(size: number, align: number, margin: number): number {
    const address = alignUp(this.next + margin, align);
    const end = address + size + margin;
    if (end > this.window.end) throw new Error(`guest memory: ${size} bytes do not fit below ${hex(this.window.end)} (in use up to ${hex(this.next)})`);
    this.next = end;
    return address;
  }

  /** Frees everything. */
  reset(): void {
    this.release({ next: this.window.start, guarded: 0 });
  }
}
