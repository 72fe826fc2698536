import { decodeCdb, describeCdb } from '../../../harness/scsi/decode-cdb';
import {
  ataPassThrough12,
  ataPassThrough16,
  compareAndWrite,
  getLbaStatus,
  inquiry,
  modeSelect10,
  modeSelect6,
  modeSense10,
  modeSense6,
  persistentReserveIn,
  persistentReserveOut,
  PersistentReserveInAction,
  PersistentReserveOutAction,
  preventAllowMediumRemoval,
  read10,
  read12,
  read16,
  read6,
  readCapacity10,
  readCapacity16,
  receiveDiagnosticResults,
  release10,
  release6,
  reportLuns,
  reportSupportedOperationCodes,
  requestSense,
  reserve10,
  reserve6,
  sendDiagnostic,
  startStopUnit,
  synchronizeCache10,
  synchronizeCache16,
  testUnitReady,
  unmap,
  verify10,
  verify16,
  write10,
  write12,
  write16,
  write6,
  writeAndVerify10,
  writeAndVerify16,
  writeSame10,
  writeSame16,
} from '../../../harness/scsi/opcodes';
import { hexBytes } from '../../../harness/scsi/_internals/hex';
import { hex } from './captured-answers';

// Each CDB byte for byte as the standards' tables lay it out; where a tool or a guest sends the same
// command (sg3_utils, Linux's sd), the bytes are the ones it sends.
const examples: readonly (readonly [string, Buffer, string])[] = [
  ['TEST UNIT READY', testUnitReady(), '00 00 00 00 00 00'],
  ['REQUEST SENSE, descriptor format', requestSense({ desc: true, allocationLength: 252 }), '03 01 00 00 fc 00'],
  ['standard INQUIRY', inquiry({ allocationLength: 96 }), '12 00 00 00 60 00'],
  ['INQUIRY, device identification page', inquiry({ evpd: true, pageCode: 0x83, allocationLength: 0x200 }), '12 01 83 02 00 00'],
  ['MODE SENSE (6), all pages, no block descriptors', modeSense6({ dbd: true, pageCode: 0x3f, allocationLength: 255 }), '1a 08 3f 00 ff 00'],
  ['MODE SENSE (6), changeable caching page', modeSense6({ pageControl: 1, pageCode: 0x08, allocationLength: 36 }), '1a 00 48 00 24 00'],
  ['MODE SENSE (10), every page and subpage, long LBA', modeSense10({ llbaa: true, pageCode: 0x3f, subpageCode: 0xff, allocationLength: 1024 }), '5a 10 3f ff 00 00 00 04 00 00'],
  ['MODE SELECT (6), page format', modeSelect6({ pf: true, parameterListLength: 24 }), '15 10 00 00 18 00'],
  ['MODE SELECT (10), page format, saved', modeSelect10({ pf: true, sp: true, parameterListLength: 0x114 }), '55 11 00 00 00 00 00 01 14 00'],
  ['READ (6), top LBA, 256 blocks', read6({ lba: 0x1fffff, blocks: 0 }), '08 1f ff ff 00 00'],
  ['READ (10) of LBA 12345678h, 8 blocks', read10({ lba: 0x12345678, blocks: 8 }), '28 00 12 34 56 78 00 00 08 00'],
  ['READ (10), FUA and DPO, group 5', read10({ lba: 1, blocks: 1, fua: true, dpo: true, group: 5 }), '28 18 00 00 00 01 05 00 01 00'],
  ['READ (12)', read12({ lba: 0xdeadbeef, blocks: 0x10000, rdprotect: 3 }), 'a8 60 de ad be ef 00 01 00 00 00 00'],
  ['READ (16) past 2 TiB', read16({ lba: 0x123456789abcdefn, blocks: 16, fua: true }), '88 08 01 23 45 67 89 ab cd ef 00 00 00 10 00 00'],
  ['WRITE (6)', write6({ lba: 0x10203, blocks: 1, control: 0x04 }), '0a 01 02 03 01 04'],
  ['WRITE (10), FUA', write10({ lba: 16, blocks: 1, fua: true }), '2a 08 00 00 00 10 00 00 01 00'],
  ['WRITE (12)', write12({ lba: 2, blocks: 3, wrprotect: 1 }), 'aa 20 00 00 00 02 00 00 00 03 00 00'],
  ['WRITE (16), duration limit 7', write16({ lba: 0, blocks: 8, dld2: true, dld1: true, dld0: true }), '8a 01 00 00 00 00 00 00 00 00 00 00 00 08 c0 00'],
  ['VERIFY (10), compare the blocks sent', verify10({ lba: 0, blocks: 1, bytchk: 1 }), '2f 02 00 00 00 00 00 00 01 00'],
  ['VERIFY (16), medium only', verify16({ lba: 0x100, blocks: 0x20 }), '8f 00 00 00 00 00 00 00 01 00 00 00 00 20 00 00'],
  ['WRITE AND VERIFY (10)', writeAndVerify10({ lba: 8, blocks: 2, bytchk: 1 }), '2e 02 00 00 00 08 00 00 02 00'],
  ['WRITE AND VERIFY (16)', writeAndVerify16({ lba: 8, blocks: 2, dpo: true }), '8e 10 00 00 00 00 00 00 00 08 00 00 00 02 00 00'],
  ['WRITE SAME (10)', writeSame10({ lba: 16, blocks: 16 }), '41 00 00 00 00 10 00 00 10 00'],
  ['WRITE SAME (16), UNMAP and NDOB', writeSame16({ lba: 32, blocks: 16, unmap: true, ndob: true }), '93 09 00 00 00 00 00 00 00 20 00 00 00 10 00 00'],
  ['UNMAP, one descriptor', unmap({ parameterListLength: 24 }), '42 00 00 00 00 00 00 00 18 00'],
  ['SYNCHRONIZE CACHE (10), whole cache', synchronizeCache10(), '35 00 00 00 00 00 00 00 00 00'],
  ['SYNCHRONIZE CACHE (16), IMMED', synchronizeCache16({ immed: true, lba: 1, blocks: 2 }), '91 02 00 00 00 00 00 00 00 01 00 00 00 02 00 00'],
  ['READ CAPACITY (10)', readCapacity10(), '25 00 00 00 00 00 00 00 00 00'],
  ['READ CAPACITY (16)', readCapacity16({ allocationLength: 32 }), '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00'],
  ['GET LBA STATUS (16) from LBA 100', getLbaStatus({ lba: 100, allocationLength: 64 }), '9e 12 00 00 00 00 00 00 00 64 00 00 00 40 00 00'],
  ['REPORT LUNS', reportLuns({ allocationLength: 256 }), 'a0 00 00 00 00 00 00 00 01 00 00 00'],
  ['REPORT SUPPORTED OPERATION CODES, all, with timeouts', reportSupportedOperationCodes({ rctd: true, allocationLength: 8192 }), 'a3 0c 80 00 00 00 00 00 20 00 00 00'],
  [
    'REPORT SUPPORTED OPERATION CODES for READ CAPACITY (16)',
    reportSupportedOperationCodes({ reportingOptions: 2, requestedOpcode: 0x9e, requestedServiceAction: 0x10, allocationLength: 256 }),
    'a3 0c 02 9e 00 10 00 00 01 00 00 00',
  ],
  ['START STOP UNIT, start', startStopUnit({ start: true }), '1b 00 00 00 01 00'],
  ['START STOP UNIT, standby, immediately', startStopUnit({ immed: true, powerCondition: 3 }), '1b 01 00 00 30 00'],
  ['PREVENT ALLOW MEDIUM REMOVAL, prevent', preventAllowMediumRemoval({ prevent: 1 }), '1e 00 00 00 01 00'],
  ['RESERVE (6)', reserve6(), '16 00 00 00 00 00'],
  ['RELEASE (6)', release6(), '17 00 00 00 00 00'],
  ['RESERVE (10) for a third party', reserve10({ thirdParty: true, thirdPartyDeviceId: 7 }), '56 10 00 07 00 00 00 00 00 00'],
  ['RELEASE (10), long ID', release10({ thirdParty: true, longId: true, parameterListLength: 8 }), '57 12 00 00 00 00 00 00 08 00'],
  ['PERSISTENT RESERVE IN, READ KEYS', persistentReserveIn({ serviceAction: PersistentReserveInAction.readKeys, allocationLength: 256 }), '5e 00 00 00 00 00 00 01 00 00'],
  [
    'PERSISTENT RESERVE OUT, RESERVE Write Exclusive',
    persistentReserveOut({ serviceAction: PersistentReserveOutAction.reserve, type: 1, parameterListLength: 24 }),
    '5f 01 01 00 00 00 00 00 18 00',
  ],
  ['COMPARE AND WRITE of one block at LBA 5', compareAndWrite({ lba: 5, blocks: 1 }), '89 00 00 00 00 00 00 00 00 05 00 00 00 01 00 00'],
  ['SEND DIAGNOSTIC, default self-test', sendDiagnostic({ selfTest: true }), '1d 04 00 00 00 00'],
  ['SEND DIAGNOSTIC, background short self-test', sendDiagnostic({ selfTestCode: 1 }), '1d 20 00 00 00 00'],
  ['RECEIVE DIAGNOSTIC RESULTS, supported pages', receiveDiagnosticResults({ pcv: true, pageCode: 0, allocationLength: 255 }), '1c 01 00 00 ff 00'],
  // sg_sat_identify's IDENTIFY DEVICE: PIO data-in, one 512-byte block in COUNT, from the device.
  [
    'ATA PASS-THROUGH (16), IDENTIFY DEVICE',
    ataPassThrough16({ protocol: 4, tDir: true, bytBlok: true, tLength: 2, count: 1, command: 0xec }),
    '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00',
  ],
  ['ATA PASS-THROUGH (12), IDENTIFY DEVICE', ataPassThrough12({ protocol: 4, tDir: true, bytBlok: true, tLength: 2, count: 1, command: 0xec }), 'a1 08 0e 00 01 00 00 00 00 ec 00 00'],
  [
    'ATA PASS-THROUGH (16), 48-bit READ DMA EXT',
    ataPassThrough16({ protocol: 6, extend: true, tDir: true, bytBlok: true, tLength: 2, count: 8, lba: 0x123456789abc, device: 0x40, command: 0x25 }),
    '85 0d 0e 00 00 00 08 56 bc 34 9a 12 78 40 25 00',
  ],
];

describe('encoders, byte for byte', () => {
  it.each(examples)('%s', (_, encoded, bytes) => {
    expect(hexBytes(encoded)).toBe(bytes);
    expect(decodeCdb(encoded).problems).toEqual([]);
  });
});

describe('decodeCdb', () => {
  it('prints READ (10) as its name, bytes and fields', () => {
    expect(describeCdb(decodeCdb(hex('28 00 12 34 56 78 00 00 08 00')))).toBe(
      ['READ (10): 28 00 12 34 56 78 00 00 08 00', '  LOGICAL BLOCK ADDRESS: 305419896 (12345678h)', '  TRANSFER LENGTH: 8'].join('\n'),
    );
  });

  it('gives 16-byte LBAs in full, as bigints', () => {
    expect(decodeCdb(hex('88 00 ff ff ff ff ff ff ff ff 00 00 00 01 00 00')).fields.lba.value).toBe(0xffffffffffffffffn);
  });

  it('names values the standard names', () => {
    const decoded = decodeCdb(hex('1a 08 7f 00 ff 00'));
    expect(decoded.fields.pageControl.text).toBe('01h (changeable values)');
    expect(decoded.fields.pageCode.text).toBe('3Fh (all pages)');
  });

  it.each([
    ['c5 00 00 00 00 00', 'operation code C5h', 'operation code C5h is in group 6, vendor specific'],
    ['02 00 00 00 00 00', 'operation code 02h', 'operation code 02h is not one this table knows'],
    ['7f 00 00 00 00 00 00 18', 'operation code 7Fh', 'operation code 7Fh is in group 3, reserved'],
    ['9e 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00', 'SERVICE ACTION IN (16), service action 05h', 'service action 05h of SERVICE ACTION IN (16) is not one this table knows'],
    ['02 00 00 00 00 00 00 00', 'operation code 02h', 'group 0 CDBs are 6 bytes; this one has 8'],
  ])('names the unknown %s', (bytes, name, problem) => {
    const decoded = decodeCdb(hex(bytes));
    expect(decoded.name).toBe(name);
    expect(decoded.problems).toContain(problem);
  });

  it.each([
    ['28 02 00 00 00 00 00 00 01 00', 'reserved or obsolete bits 02h are set in byte 1'],
    ['28 00 00 00 00 00 00 00 01 01', 'reserved or obsolete bits 01h are set in the CONTROL byte'],
    ['28 00 00 00 00 00', 'READ (10) is 10 bytes; this CDB has 6'],
    ['28 00 00 00 00 00', 'the CDB ends before GROUP NUMBER, TRANSFER LENGTH, CONTROL'],
    ['12 00 83 00 ff 00', 'PAGE CODE is set but EVPD is not'],
    ['2f 04 00 00 00 00 00 00 01 00', 'BYTCHK 02h is reserved'],
    ['93 10 00 00 00 00 00 00 00 00 00 00 00 01 00 00', 'ANCHOR is set without UNMAP'],
    ['25 00 00 00 00 01 00 00 00 00', 'LOGICAL BLOCK ADDRESS is set but PMI is not'],
    ['5e 1f 00 00 00 00 00 01 00 00', 'SERVICE ACTION 1Fh is reserved'],
    ['a3 0c 07 00 00 00 00 00 01 00 00 00', 'REPORTING OPTIONS 07h is reserved'],
    ['1d 24 00 00 00 00', 'SELF-TEST CODE is set together with SELFTEST'],
  ])('says what is odd about %s', (bytes, problem) => {
    expect(decodeCdb(hex(bytes)).problems).toContain(problem);
  });

  it('calls an empty CDB what it is', () => {
    expect(decodeCdb(Buffer.alloc(0))).toMatchObject({ name: 'empty CDB', opcode: undefined, problems: ['the CDB has no bytes'] });
  });
});

describe('encoders refuse values that do not fit', () => {
  it.each([
    ['a 33-bit LBA in READ (10)', () => read10({ lba: 2 ** 32, blocks: 1 })],
    ['a TRANSFER LENGTH of 65536 in READ (10)', () => read10({ lba: 0, blocks: 65536 })],
    ['a negative allocation length', () => inquiry({ allocationLength: -1 })],
    ['a fractional block count', () => write10({ lba: 0, blocks: 1.5 })],
    ['a 22-bit LBA in READ (6)', () => read6({ lba: 0x200000, blocks: 1 })],
  ])('%s', (_, encode) => {
    expect(encode).toThrow(RangeError);
  });
});
