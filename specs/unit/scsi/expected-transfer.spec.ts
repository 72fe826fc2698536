import { fc, test } from '@fast-check/jest';
import { expectedTransfer } from '../../../harness/scsi/expected-transfer';
import { encodeCdb } from '../../../harness/scsi/layout/encode-cdb';
import { commandTable } from '../../../harness/scsi/opcodes';
import { hex } from './captured-answers';
import { fieldValuesArbitrary } from './field-arbitraries';

const inOf = (bytes: number) => ({ direction: 'from-device', bytes });
const outOf = (bytes: number) => ({ direction: 'to-device', bytes });
const none = { direction: 'none', bytes: 0 };

describe('expectedTransfer', () => {
  it.each([
    ['TEST UNIT READY', '00 00 00 00 00 00', 512, none],
    ['REQUEST SENSE: the allocation length', '03 00 00 00 fc 00', 512, inOf(252)],
    ['INQUIRY: its two-byte allocation length', '12 01 83 01 00 00', 512, inOf(256)],
    ['INQUIRY with allocation length zero', '12 00 00 00 00 00', 512, none],
    ['MODE SENSE (6)', '1a 00 3f 00 ff 00', 512, inOf(255)],
    ['MODE SENSE (10)', '5a 00 3f 00 00 00 00 04 00 00', 512, inOf(1024)],
    ['MODE SELECT (6): the parameter list length', '15 10 00 00 18 00', 512, outOf(24)],
    ['MODE SELECT (10)', '55 10 00 00 00 00 00 01 14 00', 512, outOf(276)],
    ['READ (6) of 8 blocks', '08 00 00 00 08 00', 512, inOf(4096)],
    ['READ (6) of "0" blocks, which means 256', '08 00 00 00 00 00', 512, inOf(256 * 512)],
    ['WRITE (6) of "0" blocks with 4096-byte blocks', '0a 00 00 00 00 00', 4096, outOf(256 * 4096)],
    ['READ (10) of 8 blocks', '28 00 12 34 56 78 00 00 08 00', 512, inOf(4096)],
    ['READ (10) of 0 blocks moves nothing', '28 00 12 34 56 78 00 00 00 00', 512, none],
    ['READ (12) of 65536 blocks', 'a8 00 00 00 00 00 00 01 00 00 00 00', 512, inOf(65536 * 512)],
    ['READ (16) of the most blocks there are', '88 00 00 00 00 00 00 00 00 00 ff ff ff ff 00 00', 4096, inOf(0xffffffff * 4096)],
    ['WRITE (10)', '2a 00 00 00 00 00 00 00 02 00', 520, outOf(1040)],
    ['WRITE (12)', 'aa 00 00 00 00 00 00 00 00 03 00 00', 512, outOf(1536)],
    ['WRITE (16)', '8a 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00', 512, outOf(2048)],
    ['VERIFY (10) with BYTCHK 00b: no data', '2f 00 00 00 00 00 00 00 08 00', 512, none],
    ['VERIFY (10) with BYTCHK 01b: every block', '2f 02 00 00 00 00 00 00 08 00', 512, outOf(4096)],
    ['VERIFY (16) with BYTCHK 11b: one block', '8f 06 00 00 00 00 00 00 00 00 00 00 00 08 00 00', 512, outOf(512)],
    ['VERIFY (10) with the reserved BYTCHK 10b', '2f 04 00 00 00 00 00 00 08 00', 512, none],
    ['WRITE AND VERIFY (10)', '2e 02 00 00 00 00 00 00 03 00', 512, outOf(1536)],
    ['WRITE AND VERIFY (16)', '8e 00 00 00 00 00 00 00 00 00 00 00 00 03 00 00', 512, outOf(1536)],
    ['WRITE SAME (10): one block whatever the count', '41 00 00 00 00 00 00 01 00 00', 512, outOf(512)],
    ['WRITE SAME (16) with UNMAP: still one block', '93 08 00 00 00 00 00 00 00 00 00 00 10 00 00 00', 4096, outOf(4096)],
    ['WRITE SAME (16) with NDOB: nothing', '93 09 00 00 00 00 00 00 00 00 00 00 10 00 00 00', 512, none],
    ['UNMAP: its parameter list', '42 00 00 00 00 00 00 00 18 00', 512, outOf(24)],
    ['SYNCHRONIZE CACHE (10)', '35 02 00 00 00 00 00 00 00 00', 512, none],
    ['SYNCHRONIZE CACHE (16)', '91 00 00 00 00 00 00 00 00 00 00 00 00 10 00 00', 512, none],
    ['READ CAPACITY (10): always 8 bytes', '25 00 00 00 00 00 00 00 00 00', 512, inOf(8)],
    ['READ CAPACITY (16)', '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00', 512, inOf(32)],
    ['GET LBA STATUS (16)', '9e 12 00 00 00 00 00 00 00 00 00 00 10 00 00 00', 512, inOf(4096)],
    ['REPORT LUNS', 'a0 00 00 00 00 00 00 00 01 00 00 00', 512, inOf(256)],
    ['REPORT SUPPORTED OPERATION CODES', 'a3 0c 00 00 00 00 00 00 20 00 00 00', 512, inOf(8192)],
    ['START STOP UNIT', '1b 00 00 00 01 00', 512, none],
    ['PREVENT ALLOW MEDIUM REMOVAL', '1e 00 00 00 01 00', 512, none],
    ['RESERVE (6)', '16 00 00 00 00 00', 512, none],
    ['RELEASE (6)', '17 00 00 00 00 00', 512, none],
    ['RESERVE (10) with a parameter list', '56 12 00 00 00 00 00 00 08 00', 512, outOf(8)],
    ['RELEASE (10) without one', '57 00 00 00 00 00 00 00 00 00', 512, none],
    ['PERSISTENT RESERVE IN', '5e 00 00 00 00 00 00 01 00 00', 512, inOf(256)],
    ['PERSISTENT RESERVE OUT: four bytes of length', '5f 00 00 00 00 01 00 00 18 00', 512, outOf(0x1000018)],
    ['COMPARE AND WRITE: both instances', '89 00 00 00 00 00 00 00 00 05 00 00 00 02 00 00', 4096, outOf(2 * 2 * 4096)],
    ['SEND DIAGNOSTIC with a page', '1d 10 00 00 08 00', 512, outOf(8)],
    ['SEND DIAGNOSTIC, self-test only', '1d 04 00 00 00 00', 512, none],
    ['RECEIVE DIAGNOSTIC RESULTS', '1c 01 00 01 00 00', 512, inOf(256)],
    ['ATA PASS-THROUGH (16), IDENTIFY: one 512-byte block in', '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00', 4096, inOf(512)],
    ['ATA PASS-THROUGH (16), T_TYPE: logical sectors', '85 0d 1e 00 00 00 08 00 00 00 00 00 00 40 25 00', 4096, inOf(8 * 4096)],
    ['ATA PASS-THROUGH (16), EXTEND: the high count byte counts', '85 0d 0e 00 00 01 00 00 00 00 00 00 00 40 25 00', 512, inOf(256 * 512)],
    ['ATA PASS-THROUGH (16), no EXTEND: it does not', '85 0c 0e 00 00 01 00 00 00 00 00 00 00 40 25 00', 512, none],
    ['ATA PASS-THROUGH (16), bytes in FEATURES, out', '85 0a 01 00 10 00 00 00 00 00 00 00 00 00 ee 00', 512, outOf(16)],
    ['ATA PASS-THROUGH (12), non-data', 'a1 06 20 00 00 00 00 00 00 e7 00 00', 512, none],
    ['ATA PASS-THROUGH (12), two blocks in', 'a1 08 0e 00 02 00 00 00 00 20 00 00', 512, inOf(1024)],
  ] as const)('%s', (_, bytes, blockSize, expected) => {
    expect(expectedTransfer(hex(bytes), blockSize)).toEqual(expected);
  });

  it.each([
    ['an unknown opcode', 'c5 00 00 00 00 00'],
    ['an unknown service action', '9e 05 00 00 00 00 00 00 00 00 00 00 00 20 00 00'],
    ['a CDB shorter than its command', '28 00 00 00 00 00 00 00'],
    ['no CDB at all', ''],
  ])('has nothing to say for %s', (_, bytes) => {
    expect(expectedTransfer(hex(bytes), 512)).toBeUndefined();
  });

  test.prop([fc.constantFrom(...commandTable).chain((layout) => fc.tuple(fc.constant(layout), fieldValuesArbitrary(layout.fields))), fc.constantFrom(512, 520, 4096)])(
    'moves nothing exactly when it says none, and in the direction the table gives',
    ([layout, values], blockSize) => {
      const transfer = expectedTransfer(encodeCdb(layout, values as never), blockSize);
      expect(transfer).toBeDefined();
      expect(transfer?.bytes === 0).toBe(transfer?.direction === 'none');
      expect(Number.isSafeInteger(transfer?.bytes)).toBe(true);
      if (transfer?.direction !== 'none' && layout.direction !== 'per CDB') expect(transfer?.direction).toBe(layout.direction);
    },
  );
});
