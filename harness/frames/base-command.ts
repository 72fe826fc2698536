import fc from 'fast-check';
import type { FrameCommand } from '../qtest/frame-driver';

/** The disk behind every target a frame campaign addresses: QEMU's null-co, 1 MiB of 512-byte blocks reading zeroes. */
export const campaignDiskBytes = 1024 * 1024;
const blockBytes = 512;
const capacityBlocks = campaignDiskBytes / blockBytes;

/**
 * A well-formed SCSI command as a frame carries it before any mutation: where it goes and its CDB, with the
 * data it moves. Plain numbers, so that a mutation reads back from frames.json and fast-check shrinks it field
 * by field. Targets 0 and 1 hold a disk and 2 none; LUN 1 is on no target.
 */
export interface BaseCommand {
  readonly target: number;
  readonly lun: number;
  readonly cdb: readonly number[];
  readonly direction: 'none' | 'in' | 'out';
  /** Bytes the command moves in its direction (0 for none). */
  readonly dataBytes: number;
}

type Shape = Pick<BaseCommand, 'cdb' | 'direction' | 'dataBytes'>;

const lbas = [0, 1, capacityBlocks - 1, capacityBlocks, 0xffff_ffff] as const;
const allocationLengths = [0, 4, 36, 96, 255] as const;

const dataIn = (cdb: number[], bytes: number): Shape => ({ cdb, direction: bytes > 0 ? 'in' : 'none', dataBytes: bytes });

const be32 = (value: number): number[] => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];

/**
 * Commands whose answers depend on nothing a previous command leaves behind, so that a frame and its unmutated
 * copy get the same answer on one QEMU (no MODE SELECT, START STOP UNIT, REQUEST SENSE or reservations).
 */
const shapes: readonly fc.Arbitrary<Shape>[] = [
  fc.constant<Shape>({ cdb: [0x00, 0, 0, 0, 0, 0], direction: 'none', dataBytes: 0 }),
  fc.constantFrom(...allocationLengths).map((length) => dataIn([0x12, 0, 0, 0, length, 0], length)),
  fc.tuple(fc.constantFrom(0x00, 0x80, 0x83, 0xb0), fc.constantFrom(...allocationLengths)).map(([page, length]) => dataIn([0x12, 1, page, 0, length, 0], length)),
  fc.constant(dataIn([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8)),
  fc.constant(dataIn([0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0], 32)),
  fc.tuple(fc.constantFrom(0x3f, 0x08, 0x0a), fc.constantFrom(...allocationLengths)).map(([page, length]) => dataIn([0x1a, 0, page, 0, length, 0], length)),
  fc.constantFrom(16, 64).map((length) => dataIn([0xa0, 0, 0, 0, 0, 0, ...be32(length), 0, 0], length)),
  fc.tuple(fc.constantFrom(...lbas), fc.integer({ min: 0, max: 8 })).map(([lba, blocks]) => dataIn([0x28, 0, ...be32(lba), 0, 0, blocks, 0], blocks * blockBytes)),
  fc.tuple(fc.constantFrom(...lbas), fc.integer({ min: 0, max: 8 })).map(([lba, blocks]) => dataIn([0x88, 0, 0, 0, 0, 0, ...be32(lba), 0, 0, 0, blocks, 0, 0], blocks * blockBytes)),
  fc.tuple(fc.constantFrom(...lbas), fc.integer({ min: 1, max: 8 })).map(([lba, blocks]): Shape => ({
    cdb: [0x2a, 0, ...be32(lba), 0, 0, blocks, 0],
    direction: 'out',
    dataBytes: blocks * blockBytes,
  })),
  fc.constantFrom(...lbas).map((lba): Shape => ({ cdb: [0x35, 0, ...be32(lba), 0, 0, 0, 0], direction: 'none', dataBytes: 0 })),
];

export const baseCommandArbitrary: fc.Arbitrary<BaseCommand> = fc
  .record({ target: fc.integer({ min: 0, max: 2 }), lun: fc.integer({ min: 0, max: 1 }), shape: fc.oneof(...shapes) })
  .map(({ target, lun, shape }) => ({ target, lun, ...shape }));

/** The well-formed command as a frame driver takes it; data-out is a counter pattern, so where it landed can be told. */
export const frameCommandOf = (command: BaseCommand, timeoutMs: number): FrameCommand => ({
  target: command.target,
  lun: command.lun,
  cdb: Buffer.from(command.cdb),
  dataOut: command.direction === 'out' ? Buffer.from(Array.from({ length: command.dataBytes }, (_, index) => index & 0xff)) : undefined,
  dataInLength: command.direction === 'in' ? command.dataBytes : 0,
  timeoutMs,
});
