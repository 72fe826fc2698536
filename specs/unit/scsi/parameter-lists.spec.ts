import { hexBytes } from '../../../harness/scsi/_internals/hex';
import { compareAndWriteData } from '../../../harness/scsi/parameters/compare-and-write-data';
import { diagnosticPage } from '../../../harness/scsi/parameters/diagnostic-page';
import { persistentReserveOutParameterList } from '../../../harness/scsi/parameters/persistent-reserve-out-parameter-list';
import { unmapParameterList } from '../../../harness/scsi/parameters/unmap-parameter-list';
import { hex } from './captured-answers';

describe('data-out parameter lists', () => {
  it('UNMAP: lengths that count what follows them, then 16-byte descriptors', () => {
    expect(hexBytes(unmapParameterList([{ lba: 0x30, blocks: 8 }]))).toBe(
      '00 16 00 10 00 00 00 00 00 00 00 00 00 00 00 30 00 00 00 08 00 00 00 00',
    );
    expect(unmapParameterList([{ lba: 2n ** 40n, blocks: 1 }, { lba: 0, blocks: 2 }]).subarray(0, 4)).toEqual(hex('00 26 00 20'));
    expect(hexBytes(unmapParameterList([]))).toBe('00 06 00 00 00 00 00 00');
  });

  it('PERSISTENT RESERVE OUT: the keys and flags in 24 bytes', () => {
    expect(hexBytes(persistentReserveOutParameterList({ serviceActionReservationKey: 0x1122334455667788n, aptpl: true }))).toBe(
      '00 00 00 00 00 00 00 00 11 22 33 44 55 66 77 88 00 00 00 00 01 00 00 00',
    );
    expect(hexBytes(persistentReserveOutParameterList({ reservationKey: 1, allTgPt: true }).subarray(0, 8))).toBe('00 00 00 00 00 00 00 01');
  });

  it('PERSISTENT RESERVE OUT with SPEC_I_PT: TransportIDs after their length', () => {
    const list = persistentReserveOutParameterList({ serviceActionReservationKey: 5, specIPt: true, transportIds: [hex('05 00 00 0c'), hex('aa bb')] });
    expect(hexBytes(list.subarray(20))).toBe('08 00 00 00 00 00 00 06 05 00 00 0c aa bb');
  });

  it('COMPARE AND WRITE: the blocks to compare, then the blocks to write', () => {
    expect(compareAndWriteData({ compare: hex('01 02'), write: hex('03 04') })).toEqual(hex('01 02 03 04'));
    expect(() => compareAndWriteData({ compare: hex('01'), write: hex('03 04') })).toThrow(RangeError);
  });

  it('SEND DIAGNOSTIC: a diagnostic page', () => {
    expect(hexBytes(diagnosticPage({ pageCode: 0 }))).toBe('00 00 00 00');
    expect(hexBytes(diagnosticPage({ pageCode: 0x3f, pageSpecific: 1, parameters: hex('de ad be ef') }))).toBe('3f 01 00 04 de ad be ef');
  });
});
