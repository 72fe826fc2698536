import { decodeReportLuns, describeReportLuns } from '../../../harness/scsi/data-in/report-luns';
import { hex, qemuReportLuns } from './captured-answers';

describe('REPORT LUNS data', () => {
  it("decodes QEMU's one LUN 0", () => {
    expect(decodeReportLuns(qemuReportLuns)).toEqual({
      lunListLength: 8,
      luns: [{ bytes: hex('00 00 00 00 00 00 00 00'), lun: 0 }],
      truncated: false,
      problems: [],
    });
  });

  it('reads flat space LUNs, and keeps other addressing as bytes', () => {
    const list = decodeReportLuns(hex('00 00 00 18 00 00 00 00' + ' 00 05 00 00 00 00 00 00' + ' 41 23 00 00 00 00 00 00' + ' c1 01 00 00 00 00 00 00'));
    expect(list.luns.map((lun) => lun.lun)).toEqual([5, 0x123, undefined]);
    expect(describeReportLuns(list)).toContain('LUN 3: c1 01 00 00 00 00 00 00');
  });

  it('says when the list length is not whole LUNs or the list was cut', () => {
    expect(decodeReportLuns(hex('00 00 00 0c 00 00 00 00 00 01 00 00')).problems).toEqual(['LUN LIST LENGTH 12 is not a multiple of 8']);
    expect(decodeReportLuns(hex('00 00 01 00 00 00 00 00 00 01 00 00 00 00 00 00'))).toMatchObject({ truncated: true, luns: [{ lun: 1 }] });
  });
});
