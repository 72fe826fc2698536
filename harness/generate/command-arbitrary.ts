import fc from 'fast-check';
import { Cdb, cdb, DataDirection } from '../scsi/cdb';
import { ScsiCommand } from '../scsi/command';
import { commandTable } from '../scsi/commands/command-table';
import { expectedTransfer } from '../scsi/expected-transfer';
import { CommandLayout } from '../scsi/layout/command-layout';
import { encodeCdb } from '../scsi/layout/encode-cdb';
import { FieldValue } from '../scsi/layout/field';
import { DiskGeometry } from './disk-geometry';
import { blockBytes } from '../session/disk-content';
import { fieldArbitrary, maxGeneratedTransfer } from './field-arbitrary';

/** A CDB for one command of the table, every field drawn by its meaning. */
const layoutCdb = (layout: CommandLayout, geometry: DiskGeometry): fc.Arbitrary<Cdb> =>
  fc
    .record(Object.fromEntries(Object.entries(layout.fields).map(([key, field]) => [key, fieldArbitrary(key, field, geometry)])) as Record<
      string,
      fc.Arbitrary<FieldValue>
    >)
    .map((inputs) => encodeCdb(layout, inputs as never));

/** Bytes no table describes: unknown opcodes, every CDB length, known opcodes at the wrong length. */
const rawCdb: fc.Arbitrary<Cdb> = fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => cdb(bytes));

const cdbArbitrary = (geometry: DiskGeometry): fc.Arbitrary<Cdb> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.oneof(...commandTable.map((layout) => layoutCdb(layout, geometry))) },
    { weight: 1, arbitrary: rawCdb },
  );

interface HostBuffer {
  readonly direction: DataDirection;
  readonly length: number;
}

/**
 * Data-out goes to every path and is kept in the case file: a host buffer of at most 8 KiB keeps cases small
 * to read and shrink. Data-in past a few KiB comes back as a digest, so reads may stay large.
 */
const maxDataOut = 8 * 1024;

const withinFor = (direction: DataDirection) => (length: number): number =>
  Math.min(direction === 'to-device' ? maxDataOut : maxGeneratedTransfer, length);

/**
 * The host buffer for a CDB: mostly what the CDB asks for, and at the edges where emulations differ,
 * larger, smaller, empty, or no data phase at all for a command that moves data.
 */
const hostBufferFor = (command: Cdb, geometry: DiskGeometry): fc.Arbitrary<HostBuffer> => {
  const expected = expectedTransfer(command, geometry.blockBytes) ?? { direction: 'none' as const, bytes: 0 };
  const within = withinFor(expected.direction);
  const natural = { direction: expected.direction, length: within(expected.bytes) };
  if (expected.direction === 'none') {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(natural) },
      {
        weight: 1,
        arbitrary: fc.record({ direction: fc.constantFrom<DataDirection>('from-device', 'to-device'), length: fc.integer({ min: 1, max: 4096 }) }),
      },
    );
  }
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(natural) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: natural.length }).map((length) => ({ direction: expected.direction, length })) },
    { weight: 1, arbitrary: fc.integer({ min: natural.length, max: within(natural.length + 4096) }).map((length) => ({ direction: expected.direction, length })) },
    { weight: 1, arbitrary: fc.constant({ direction: 'none' as const, length: 0 }) },
  );
};

/**
 * Data-out from a seed: each 512-byte block starts with eight bytes of its own and carries one byte of its
 * own to its end, so that a block written to the wrong LBA, twice or not at all never passes for right,
 * while the agent's wire carries 64 KiB of it in about 2 KiB (a run of one byte is a byte and a count).
 */
const blockTagBytes = 8;
const patternFrom = (seed: number, length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  };
  for (let block = 0; block < length; block += blockBytes) {
    const end = Math.min(length, block + blockBytes);
    for (let index = block; index < Math.min(end, block + blockTagBytes); index++) bytes[index] = next();
    bytes.fill(next(), Math.min(end, block + blockTagBytes), end);
  }
  return bytes;
};

const withBuffer = (command: Cdb, buffer: HostBuffer, seed: number): ScsiCommand => ({
  cdb: command,
  direction: buffer.length === 0 ? 'none' : buffer.direction,
  length: buffer.length,
  ...(buffer.direction === 'to-device' && buffer.length > 0 ? { dataOut: patternFrom(seed, buffer.length) } : {}),
});

/** One command as a test sends it: a CDB, its host buffer, and data-out where it has any. */
export const commandArbitrary = (geometry: DiskGeometry): fc.Arbitrary<ScsiCommand> =>
  cdbArbitrary(geometry).chain((command) =>
    fc.tuple(hostBufferFor(command, geometry), fc.integer()).map(([buffer, seed]) => withBuffer(command, buffer, seed)),
  );
