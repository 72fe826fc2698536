import {
  decodeReadKeys,
  decodeReadReservation,
  decodeReportCapabilities,
  describeReadReservation,
  supportedReservationTypes,
} from '../../../harness/scsi/data-in/persistent-reserve-in';
import { hex, tgtdReadKeys, tgtdReadKeysEmpty, tgtdReadReservation, tgtdReportCapabilities } from './captured-answers';

// Captured after PERSISTENT RESERVE OUT REGISTER with key 1122334455667788h and RESERVE, Write Exclusive.
describe('PERSISTENT RESERVE IN data', () => {
  it('reads the registered keys', () => {
    expect(decodeReadKeys(tgtdReadKeys)).toEqual({ generation: 1, additionalLength: 8, keys: [0x1122334455667788n], truncated: false, problems: [] });
    expect(decodeReadKeys(tgtdReadKeysEmpty)).toMatchObject({ generation: 0, keys: [] });
  });

  it('reads the reservation', () => {
    const current = decodeReadReservation(tgtdReadReservation);
    expect(current).toMatchObject({ generation: 1, additionalLength: 16, reservation: { key: 0x1122334455667788n, scope: 0, type: 1 }, problems: [] });
    expect(describeReadReservation(current)).toContain('TYPE: 01h (Write Exclusive)');
    expect(decodeReadReservation(hex('00 00 00 02 00 00 00 00'))).toMatchObject({ reservation: undefined, truncated: false });
  });

  it('reads the capabilities and the types the mask allows', () => {
    const capabilities = decodeReportCapabilities(tgtdReportCapabilities);
    expect(capabilities).toMatchObject({ length: 8, tmv: true, crh: false, typeMask: 0xea01, problems: [] });
    expect(supportedReservationTypes(capabilities)).toEqual([
      'Write Exclusive - All Registrants',
      'Exclusive Access - Registrants Only',
      'Write Exclusive - Registrants Only',
      'Exclusive Access',
      'Write Exclusive',
      'Exclusive Access - All Registrants',
    ]);
  });

  it('says what does not fit the standard', () => {
    expect(decodeReadKeys(hex('00 00 00 01 00 00 00 0c 00 00 00 00 00 00 00 01')).problems).toEqual(['ADDITIONAL LENGTH 12 is not a multiple of 8']);
    expect(decodeReadReservation(hex('00 00 00 01 00 00 00 08')).problems).toEqual(['ADDITIONAL LENGTH 8; SPC-5 allows 0 or 16']);
    expect(decodeReadKeys(tgtdReadKeys.subarray(0, 12))).toMatchObject({ keys: [], truncated: true });
  });
});
