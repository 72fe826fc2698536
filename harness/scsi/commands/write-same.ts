import { flag, number, required } from '../layout/field';
import { dataOut, defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { groupNumber, lba10, lba16, protectionField } from './_block-fields';
import { Opcode } from './opcode';

const anchor = flag('ANCHOR', 1, 4);
const unmap = flag('UNMAP', 1, 3);

// SBC-4: ANCHOR without UNMAP is an invalid field in the CDB.
const anchorWithoutUnmap = ({ anchor, unmap }: { anchor: boolean; unmap: boolean }): string[] =>
  anchor && !unmap ? ['ANCHOR is set without UNMAP'] : [];

/** WRITE SAME (10) (SBC-4): one block of data, written to every block of the range. */
export const writeSame10Layout = defineCommand({
  name: 'WRITE SAME (10)',
  opcode: Opcode.writeSame10,
  length: 10,
  direction: 'to-device',
  fields: {
    wrprotect: protectionField('WRPROTECT'),
    anchor,
    unmap,
    lba: lba10,
    group: groupNumber(6),
    blocks: required(number('NUMBER OF LOGICAL BLOCKS', wholeBytes(7, 2))),
  },
  transfer: (_, blockSize) => dataOut(blockSize),
  oddities: anchorWithoutUnmap,
});

/** WRITE SAME (16) (SBC-4): with NDOB no data goes out and the blocks read back as zeros. */
export const writeSame16Layout = defineCommand({
  name: 'WRITE SAME (16)',
  opcode: Opcode.writeSame16,
  length: 16,
  direction: 'to-device',
  fields: {
    wrprotect: protectionField('WRPROTECT'),
    anchor,
    unmap,
    ndob: flag('NDOB', 1, 0),
    lba: lba16,
    blocks: required(number('NUMBER OF LOGICAL BLOCKS', wholeBytes(10, 4))),
    group: groupNumber(14),
  },
  transfer: ({ ndob }, blockSize) => (ndob ? noData : dataOut(blockSize)),
  oddities: anchorWithoutUnmap,
});

export const writeSame10 = encoderFor(writeSame10Layout);
export const writeSame16 = encoderFor(writeSame16Layout);
