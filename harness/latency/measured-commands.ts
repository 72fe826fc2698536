import { inquiry, read10, testUnitReady, write10 } from '../scsi/opcodes';
import { ScsiCommand } from '../scsi/command';
import { blockBytes } from '../session/disk-content';

/** A command timed by the latency table and the benchmarks, named as their rows show it. */
export interface MeasuredCommand {
  readonly name: string;
  readonly command: ScsiCommand;
}

const kib = 1024;
const standardInquiryBytes = 36;

const read = (bytes: number): MeasuredCommand => ({
  name: `READ (10) ${bytes / kib} KiB`,
  command: { cdb: read10({ lba: 0, blocks: bytes / blockBytes }), direction: 'from-device', length: bytes },
});

// The pattern only has to be the same every time: a write's cost does not depend on its bytes.
const write = (bytes: number): MeasuredCommand => ({
  name: `WRITE (10) ${bytes / kib} KiB`,
  command: { cdb: write10({ lba: 0, blocks: bytes / blockBytes }), direction: 'to-device', length: bytes, dataOut: Buffer.alloc(bytes, 0x5a) },
});

/** Small commands with no data or a little, and block I/O of one page and of 64 KiB, both ways. */
export const measuredCommands: readonly MeasuredCommand[] = [
  { name: 'TEST UNIT READY', command: { cdb: testUnitReady(), direction: 'none', length: 0 } },
  { name: 'INQUIRY', command: { cdb: inquiry({ allocationLength: standardInquiryBytes }), direction: 'from-device', length: standardInquiryBytes } },
  read(4 * kib),
  write(4 * kib),
  read(64 * kib),
  write(64 * kib),
];

/** The commands with no data phase or a small one: the ones whose rate says what a round trip costs. */
export const isSmallCommand = (measured: MeasuredCommand): boolean => measured.command.length <= standardInquiryBytes;
