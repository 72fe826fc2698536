/** Content tracking works in 512-byte sectors: every block size the model follows is a multiple of it. */
export const sectorBytes = 512;

/** What the model knows one sector holds beyond the initial content. */
type SectorState = Buffer | 'deallocated' | 'unknown';

/** The model's view of a span of the medium: its bytes, and the ranges of them any value may fill. */
export interface ContentView {
  readonly bytes: Buffer;
  /** Half-open byte ranges, relative to the view, whose content the standard leaves open. */
  readonly open: readonly (readonly [number, number])[];
}

const merge = (ranges: [number, number][], from: number, to: number): void => {
  const last = ranges[ranges.length - 1];
  if (last && last[1] === from) last[1] = to;
  else ranges.push([from, to]);
};

/**
 * The medium's content, sparse: the initial content shared and never written, and per sector what changed
 * since, where a sector may also be deallocated (its read-back is zeros only when LBPRZ says so) or unknown
 * (a command completed without the model knowing what it wrote).
 */
export class BlockContent {
  private readonly changed = new Map<number, SectorState>();

  constructor(readonly initial: Buffer) {}

  get bytes(): number {
    return this.initial.length;
  }

  private sectorState(sector: number): SectorState | undefined {
    return this.changed.get(sector);
  }

  write(offset: number, data: Buffer): void {
    for (let at = 0; at < data.length; at += sectorBytes) {
      this.changed.set((offset + at) / sectorBytes, Buffer.from(data.subarray(at, at + sectorBytes)));
    }
  }

  mark(offset: number, length: number, state: 'deallocated' | 'unknown'): void {
    for (let at = 0; at < length; at += sectorBytes) this.changed.set((offset + at) / sectorBytes, state);
  }

  isDeallocated(offset: number): boolean {
    return this.sectorState(offset / sectorBytes) === 'deallocated';
  }

  /** `length` bytes from `offset`; a deallocated sector reads as zeros where `zeroedWhenDeallocated`, else open. */
  read(offset: number, length: number, zeroedWhenDeallocated: boolean): ContentView {
    const bytes = Buffer.alloc(length);
    const open: [number, number][] = [];
    for (let at = 0; at < length; at += sectorBytes) {
      const state = this.sectorState((offset + at) / sectorBytes);
      if (state === undefined) this.initial.copy(bytes, at, offset + at, offset + at + sectorBytes);
      else if (Buffer.isBuffer(state)) state.copy(bytes, at);
      else if (state === 'unknown' || !zeroedWhenDeallocated) merge(open, at, Math.min(length, at + sectorBytes));
    }
    return { bytes, open };
  }

  /** A copy whose writes do not reach this one. */
  clone(): BlockContent {
    const copy = new BlockContent(this.initial);
    for (const [sector, state] of this.changed) copy.changed.set(sector, state);
    return copy;
  }

  /** The medium cut to `bytes`, or grown by zeroes as QEMU grows a file: what changed below the new end stays changed. */
  resized(bytes: number): BlockContent {
    const initial = Buffer.alloc(bytes);
    this.initial.copy(initial, 0, 0, Math.min(bytes, this.initial.length));
    const resized = new BlockContent(initial);
    for (const [sector, state] of this.changed) if ((sector + 1) * sectorBytes <= bytes) resized.changed.set(sector, state);
    return resized;
  }

  /** Every sector the model knows to differ from the initial content or cannot vouch for. */
  changedSectors(): number[] {
    return [...this.changed.keys()].sort((a, b) => a - b);
  }
}
