/** What a generator needs to know of the disks to aim at their edges. */
export interface DiskGeometry {
  readonly blocks: number;
  readonly blockBytes: number;
}
