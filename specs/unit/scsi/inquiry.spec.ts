import {
  decodeStandardInquiry,
  decodeVpdPage,
  describeStandardInquiry,
  describeVpd,
  decodeBlockLimits,
  decodeDeviceIdentification,
  decodeLogicalBlockProvisioning,
  decodeSupportedVpdPages,
  decodeUnitSerialNumber,
  decodeBlockDeviceCharacteristics,
  decodeExtendedInquiryData,
} from '../../../harness/scsi/inquiry';
import {
  hex,
  qemuBlockDeviceCharacteristics,
  qemuBlockLimits,
  qemuDeviceIdentification,
  qemuLogicalBlockProvisioning,
  qemuStandardInquiry255,
  qemuStandardInquiry5,
  qemuStandardInquiry96,
  qemuSupportedVpdPages,
  tgtdBlockDeviceCharacteristics,
  tgtdBlockLimits,
  tgtdDeviceIdentification,
  tgtdLogicalBlockProvisioning,
  tgtdStandardInquiry,
  tgtdSupportedVpdPages,
  tgtdUnitSerialNumber,
} from './captured-answers';

describe('standard INQUIRY data', () => {
  it("decodes QEMU's scsi-hd, flags and all", () => {
    expect(decodeStandardInquiry(qemuStandardInquiry96)).toMatchObject({
      peripheralQualifier: 0,
      peripheralDeviceType: 0,
      removable: false,
      version: 5,
      responseDataFormat: 2,
      additionalLength: 91,
      hisup: true,
      cmdque: true,
      sync: true,
      multip: false,
      vendor: 'QEMU',
      product: 'QEMU HARDDISK',
      revision: '2.5+',
      versionDescriptors: [],
      truncated: false,
      problems: [],
    });
  });

  // QEMU's scsi_disk_emulate_inquiry() sets ADDITIONAL LENGTH from the allocation length: 91 for 96, 250
  // for 255. SPC-5 has it say how much data there is, whatever the allocation length (see the report).
  it("shows QEMU's ADDITIONAL LENGTH following the allocation length", () => {
    expect(decodeStandardInquiry(qemuStandardInquiry255).additionalLength).toBe(250);
  });

  it("decodes tgtd's, with its version descriptors", () => {
    const inquiry = decodeStandardInquiry(tgtdStandardInquiry);
    expect(inquiry).toMatchObject({ vendor: 'IET', product: 'VIRTUAL-DISK', revision: '0001', cmdque: true, sync: false, additionalLength: 61 });
    expect(inquiry.versionDescriptors).toEqual([0x04c0, 0x0960, 0x0300]);
    expect(describeStandardInquiry(inquiry)).toContain('version descriptors: SBC-3 (04C0h), iSCSI (0960h), SPC-3 (0300h)');
  });

  it('prints key: value lines, flags on one line', () => {
    expect(describeStandardInquiry(decodeStandardInquiry(qemuStandardInquiry96))).toBe(
      [
        'standard INQUIRY data',
        '  PERIPHERAL QUALIFIER: 00h (device type connected)',
        '  PERIPHERAL DEVICE TYPE: 00h (direct access block device)',
        '  VERSION: 05h (SPC-3)',
        '  RESPONSE DATA FORMAT: 2',
        '  ADDITIONAL LENGTH: 91',
        '  TPGS: 00h (no asymmetric logical unit access)',
        '  T10 VENDOR IDENTIFICATION: "QEMU"',
        '  PRODUCT IDENTIFICATION: "QEMU HARDDISK"',
        '  PRODUCT REVISION LEVEL: "2.5+"',
        '  CLOCKING: 0',
        '  flags set: HISUP SYNC CMDQUE',
        '  version descriptors: none',
      ].join('\n'),
    );
  });

  it('decodes the 5 bytes an allocation length of 5 brings, and says it is truncated', () => {
    expect(decodeStandardInquiry(qemuStandardInquiry5)).toMatchObject({ additionalLength: 31, hisup: true, vendor: '', truncated: true, problems: [] });
  });

  it('says what contradicts SPC', () => {
    expect(decodeStandardInquiry(hex('40 00 05 01 10 00 00 00 51 45 4d 01')).problems).toEqual([
      'ADDITIONAL LENGTH 16 makes the data shorter than the 36 bytes SPC-5 requires',
      'RESPONSE DATA FORMAT 1; SPC-5 requires 2',
      'PERIPHERAL QUALIFIER 2 is reserved',
      'T10 VENDOR IDENTIFICATION is not printable ASCII',
    ]);
  });
});

describe('VPD pages', () => {
  it('lists the supported pages', () => {
    expect(decodeSupportedVpdPages(qemuSupportedVpdPages).pages).toEqual([0x00, 0x83, 0xb0, 0xb1, 0xb2]);
    expect(decodeSupportedVpdPages(tgtdSupportedVpdPages).pages).toEqual([0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2]);
    expect(decodeSupportedVpdPages(hex('00 00 00 03 00 b0 83')).problems).toEqual(['the page codes are not in ascending order']);
  });

  it("reads tgtd's right-aligned serial number", () => {
    expect(decodeUnitSerialNumber(tgtdUnitSerialNumber)).toMatchObject({ serialNumber: 'beaf21', truncated: false, problems: [] });
  });

  // QEMU's scsi-hd has no serial, and its device identification page then has no descriptor at all.
  it("says QEMU's empty device identification page identifies nothing", () => {
    expect(decodeDeviceIdentification(qemuDeviceIdentification)).toMatchObject({
      descriptors: [],
      problems: ['no designation descriptor identifies the logical unit'],
    });
  });

  it("decodes tgtd's designators: T10 vendor ID and two NAA", () => {
    const page = decodeDeviceIdentification(tgtdDeviceIdentification);
    expect(page.descriptors.map((descriptor) => [descriptor.designatorType, descriptor.association, descriptor.codeSet, descriptor.designatorLength])).toEqual([
      [1, 0, 2, 0x24],
      [3, 0, 1, 8],
      [3, 0, 1, 16],
    ]);
    expect(page.descriptors[0].designator.subarray(0, 16).toString('latin1')).toBe('IET     00020001');
    // tgtd pads its ASCII T10 vendor ID designator with NULs, which the ASCII code set does not allow.
    expect(page.problems).toEqual(['designator 1 is ASCII but holds bytes outside 20h-7Eh']);
    expect(describeVpd(page)).toContain('designator 3: NAA, logical unit, binary: 60 00 00 00 00 00 00 00 0e 00 00 00 00 02 00 01');
  });

  it("decodes QEMU's block limits", () => {
    expect(decodeBlockLimits(qemuBlockLimits)).toMatchObject({
      wsnz: true,
      maximumCompareAndWriteLength: 0,
      maximumTransferLength: 0x3fffff,
      maximumUnmapLbaCount: 0x200000,
      maximumUnmapBlockDescriptorCount: 255,
      optimalUnmapGranularity: 8,
      ugavalid: false,
      maximumWriteSameLength: 0x3fffffn,
      truncated: false,
      problems: [],
    });
  });

  // tgtd claims COMPARE AND WRITE of up to 128 blocks, yet answers the command with INVALID COMMAND
  // OPERATION CODE (its sbc.c leaves 89h out); QEMU's scsi-block puts its own transfer lengths in.
  it("decodes tgtd's block limits as QEMU passes them on", () => {
    expect(decodeBlockLimits(tgtdBlockLimits)).toMatchObject({ maximumCompareAndWriteLength: 128, maximumTransferLength: 8192, optimalTransferLength: 8192 });
  });

  it('decodes block device characteristics, and flags the page length tgtd gives them', () => {
    expect(decodeBlockDeviceCharacteristics(qemuBlockDeviceCharacteristics)).toMatchObject({
      mediumRotationRate: 0,
      nominalFormFactor: 0,
      problems: [],
    });
    expect(decodeBlockDeviceCharacteristics(tgtdBlockDeviceCharacteristics).problems).toEqual([
      'PAGE LENGTH is 0040h; the standard gives this page 003Ch',
    ]);
    expect(decodeBlockDeviceCharacteristics(hex('00 b1 00 3c 00 01 00 03')).mediumRotationRate).toBe(1);
  });

  it("decodes QEMU's logical block provisioning: thin, UNMAP and both WRITE SAMEs", () => {
    expect(decodeLogicalBlockProvisioning(qemuLogicalBlockProvisioning)).toMatchObject({
      lbpu: true,
      lbpws: true,
      lbpws10: true,
      lbprz: 0,
      ancSup: false,
      dp: false,
      provisioningType: 2,
      provisioningGroup: undefined,
      problems: [],
    });
    expect(decodeLogicalBlockProvisioning(tgtdLogicalBlockProvisioning)).toMatchObject({ lbpu: false, provisioningType: 0 });
  });

  it('reads a provisioning group descriptor when DP is set', () => {
    const page = decodeLogicalBlockProvisioning(hex('00 b2 00 10 00 05 02 00 01 03 00 08 60 00 00 00 00 00 00 01'));
    expect(page).toMatchObject({ dp: true, lbprz: 1, provisioningGroup: { designatorType: 3, designatorLength: 8 }, problems: [] });
  });

  it('decodes extended INQUIRY data', () => {
    const page = decodeExtendedInquiryData(hex('00 86 00 3c 08 07 01 10 01 00 00 1e 80 fc' + ' 00'.repeat(50)));
    expect(page).toMatchObject({ spt: 1, headsup: true, ordsup: true, simpsup: true, vSup: true, pIISup: true, cbcs: true, extendedSelfTestCompletionMinutes: 30, poaSup: true, maximumSupportedSenseDataLength: 252, problems: [] });
  });

  it('picks the decoder from the page code, and says when a page is not the one asked for', () => {
    expect(decodeVpdPage(qemuBlockLimits).kind).toBe('block limits');
    expect(decodeVpdPage(hex('00 c0 00 02 ab cd'))).toMatchObject({ kind: 'other', body: hex('ab cd') });
    expect(decodeUnitSerialNumber(qemuBlockLimits).problems).toContain('PAGE CODE is B0h, not 80h');
  });

  it('says a page cut short by the allocation length is truncated', () => {
    expect(decodeVpdPage(qemuBlockLimits.subarray(0, 16))).toMatchObject({ kind: 'block limits', maximumTransferLength: 0x3fffff, truncated: true });
    expect(decodeSupportedVpdPages(hex('00 00 00 05'))).toMatchObject({ pages: [], truncated: true, problems: [] });
  });
});
