import { fc, test } from '@fast-check/jest';
import { decodeLbaStatus, describeLbaStatus } from '../../../harness/scsi/data-in/lba-status';
import { decodeModeParameters10, decodeModeParameters6, describeModeParameters } from '../../../harness/scsi/data-in/mode/mode-parameters';
import {
  decodeReadKeys,
  decodeReadReservation,
  decodeReportCapabilities,
  describeReadKeys,
  describeReadReservation,
  describeReportCapabilities,
} from '../../../harness/scsi/data-in/persistent-reserve-in';
import { decodeReportLuns, describeReportLuns } from '../../../harness/scsi/data-in/report-luns';
import {
  decodeSupportedOperationCode,
  decodeSupportedOperationCodes,
  describeSupportedOperationCode,
  describeSupportedOperationCodes,
} from '../../../harness/scsi/data-in/supported-operation-codes';
import { decodeStandardInquiry, decodeVpdPage, describeStandardInquiry, describeVpd } from '../../../harness/scsi/inquiry';
import { decodeReadCapacity10, decodeReadCapacity16, describeReadCapacity10, describeReadCapacity16 } from '../../../harness/scsi/read-capacity';

/** Each decoder with its printer: whatever bytes come, they decode and print, and the notes are well formed. */
const decoders: readonly (readonly [string, (bytes: Uint8Array) => string])[] = [
  ['standard INQUIRY', (bytes) => describeStandardInquiry(decodeStandardInquiry(bytes))],
  ['VPD pages', (bytes) => describeVpd(decodeVpdPage(bytes))],
  ['MODE SENSE (6)', (bytes) => describeModeParameters(decodeModeParameters6(bytes))],
  ['MODE SENSE (10)', (bytes) => describeModeParameters(decodeModeParameters10(bytes))],
  ['READ CAPACITY (10)', (bytes) => describeReadCapacity10(decodeReadCapacity10(bytes))],
  ['READ CAPACITY (16)', (bytes) => describeReadCapacity16(decodeReadCapacity16(bytes))],
  ['GET LBA STATUS', (bytes) => describeLbaStatus(decodeLbaStatus(bytes))],
  ['REPORT LUNS', (bytes) => describeReportLuns(decodeReportLuns(bytes))],
  ['REPORT SUPPORTED OPERATION CODES, all', (bytes) => describeSupportedOperationCodes(decodeSupportedOperationCodes(bytes))],
  ['REPORT SUPPORTED OPERATION CODES, one', (bytes) => describeSupportedOperationCode(decodeSupportedOperationCode(bytes))],
  ['READ KEYS', (bytes) => describeReadKeys(decodeReadKeys(bytes))],
  ['READ RESERVATION', (bytes) => describeReadReservation(decodeReadReservation(bytes))],
  ['REPORT CAPABILITIES', (bytes) => describeReportCapabilities(decodeReportCapabilities(bytes))],
];

/** Random bytes, and bytes whose length fields are small enough to be believed now and then. */
const answerBytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.uint8Array({ maxLength: 80 }).map((bytes) => bytes.map((byte, index) => (index < 8 && index % 4 !== 3 ? 0 : byte))),
);

describe.each(decoders)('%s', (_, decodeAndDescribe) => {
  test.prop([answerBytes])('decodes and prints any bytes without throwing', (bytes) => {
    expect(decodeAndDescribe(bytes).length).toBeGreaterThan(0);
  });

  it('decodes no bytes at all as truncated', () => {
    expect(decodeAndDescribe(new Uint8Array(0))).toContain('truncated: yes');
  });
});

describe('VPD pages from random bytes with a known page code', () => {
  test.prop([fc.constantFrom(0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2), fc.uint8Array({ maxLength: 300 })])('decode as that page', (page, body) => {
    const decoded = decodeVpdPage(Uint8Array.of(0, page, ...body));
    expect(decoded.header.pageCode).toBe(page);
    expect(decoded.kind).not.toBe('other');
  });
});
