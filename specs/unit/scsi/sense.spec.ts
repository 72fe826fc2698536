import { fc, test } from '@fast-check/jest';
import { ascAscqName, decodeSense, describeAscAscq, describeSense, SenseKey, senseKeyName } from '../../../harness/scsi/sense';
import {
  hex,
  megasasTargetFailureSense,
  qemuDescriptorSenseFromRequestSense,
  qemuInvalidFieldSense,
  qemuInvalidOpcodeSense,
  qemuInvalidParameterSense,
  qemuLbaOutOfRangeSense,
  qemuSavingParametersSense,
  qemuUnitAttentionSense,
} from './captured-answers';

const describeHex = (bytes: string): string => {
  const sense = decodeSense(hex(bytes));
  if (!sense) throw new Error(`${bytes} is not sense data`);
  return describeSense(sense);
};

describe('sense data QEMU returned', () => {
  it.each([
    [qemuUnitAttentionSense, 'UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h)'],
    [qemuInvalidFieldSense, 'ILLEGAL REQUEST: INVALID FIELD IN CDB (24h/00h)'],
    [qemuInvalidOpcodeSense, 'ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE (20h/00h)'],
    [qemuLbaOutOfRangeSense, 'ILLEGAL REQUEST: LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h)'],
    [qemuSavingParametersSense, 'ILLEGAL REQUEST: SAVING PARAMETERS NOT SUPPORTED (39h/00h)'],
    [qemuInvalidParameterSense, 'ILLEGAL REQUEST: INVALID FIELD IN PARAMETER LIST (26h/00h)'],
    // megasas sets VALID over an INFORMATION field of zero.
    [megasasTargetFailureSense, 'HARDWARE ERROR: INTERNAL TARGET FAILURE (44h/00h), information 00000000h'],
    [qemuDescriptorSenseFromRequestSense, 'ILLEGAL REQUEST: LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h), descriptor format'],
  ])('%#: %s', (bytes, line) => {
    expect(describeSense(decodeSense(bytes)!)).toBe(line);
  });

  it('keeps what callers compare: format, current, key, ASC and ASCQ', () => {
    expect(decodeSense(qemuUnitAttentionSense)).toMatchObject({ format: 'fixed', current: true, key: SenseKey.unitAttention, asc: 0x29, ascq: 0x00 });
    expect(decodeSense(qemuDescriptorSenseFromRequestSense)).toMatchObject({ format: 'descriptor', current: true, key: 5, asc: 0x21, ascq: 0, descriptors: [] });
  });
});

describe('fixed format', () => {
  it('points at the CDB field that was wrong', () => {
    expect(describeHex('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 cd 00 02')).toBe(
      'ILLEGAL REQUEST: INVALID FIELD IN CDB (24h/00h), field pointer byte 2 bit 5',
    );
  });

  it('points into the parameter data without a bit pointer', () => {
    const sense = decodeSense(hex('70 00 05 00 00 00 00 0a 00 00 00 00 26 00 00 80 00 0c'))!;
    expect(sense.senseKeySpecific).toEqual({ kind: 'field pointer', inCdb: false, byte: 12, bit: undefined });
    expect(describeSense(sense)).toBe('ILLEGAL REQUEST: INVALID FIELD IN PARAMETER LIST (26h/00h), field pointer parameter data byte 12');
  });

  it('gives the progress of a format', () => {
    expect(describeHex('70 00 02 00 00 00 00 0a 00 00 00 00 04 04 00 80 80 00')).toBe(
      'NOT READY: LOGICAL UNIT NOT READY, FORMAT IN PROGRESS (04h/04h), progress 50.0%',
    );
  });

  it('gives the failing LBA of a medium error and its retries', () => {
    const sense = decodeSense(hex('f0 00 03 00 00 12 34 0a 00 00 00 00 11 00 00 80 00 03'))!;
    expect(sense).toMatchObject({ valid: true, information: 0x1234n, senseKeySpecific: { kind: 'actual retry count', count: 3 } });
    expect(describeSense(sense)).toBe('MEDIUM ERROR: UNRECOVERED READ ERROR (11h/00h), information 00001234h, actual retry count 3');
  });

  it('says FILEMARK, EOM and ILI, deferred errors, and command-specific information', () => {
    expect(describeHex('71 00 e0 00 00 00 00 0a 00 00 01 00 00 00 00 00 00 00')).toBe(
      'NO SENSE: NO ADDITIONAL SENSE INFORMATION (00h/00h), command-specific information 00000100h, FILEMARK, EOM, ILI, deferred',
    );
  });

  it('reads the unit attention queue overflow bit and a field replaceable unit', () => {
    const sense = decodeSense(hex('70 00 06 00 00 00 00 0a 00 00 00 00 2a 09 07 81 00 00'))!;
    expect(sense).toMatchObject({ fieldReplaceableUnitCode: 7, senseKeySpecific: { kind: 'unit attention condition queue overflow', overflow: true } });
    expect(describeSense(sense)).toBe(
      'UNIT ATTENTION: CAPACITY DATA HAS CHANGED (2Ah/09h), unit attention condition queue overflowed, field replaceable unit 07h',
    );
  });

  it('shows additional sense bytes past byte 17', () => {
    expect(describeHex('70 00 04 00 00 00 00 0c 00 00 00 00 44 00 00 00 00 00 de ad')).toBe(
      'HARDWARE ERROR: INTERNAL TARGET FAILURE (44h/00h), additional sense bytes de ad',
    );
  });

  it('ignores what lies past the ADDITIONAL SENSE LENGTH', () => {
    const sense = decodeSense(hex('70 00 05 00 00 00 00 06 00 00 00 00 24 00 00 cd 00 02'))!;
    expect(sense.senseKeySpecific).toBeUndefined();
    expect(sense.truncated).toBe(false);
  });

  it('decodes a short buffer as far as it goes and says it is truncated', () => {
    expect(decodeSense(hex('70 00 06'))).toMatchObject({ key: 6, asc: 0, truncated: true });
    expect(describeHex('70 00 06')).toBe('UNIT ATTENTION: NO ADDITIONAL SENSE INFORMATION (00h/00h), truncated');
  });

  it('says when the additional length leaves out ASC and ASCQ, or the key is reserved', () => {
    expect(decodeSense(hex('70 00 0c 00 00 00 00 02 00 00'))!.problems).toEqual([
      'SENSE KEY 0Ch is reserved',
      'ADDITIONAL SENSE LENGTH 2 stops before ASC and ASCQ',
    ]);
  });
});

describe('descriptor format', () => {
  // An ATA PASS-THROUGH with CK_COND: information, then the ATA registers (SAT-4 12.2.2.6).
  const ataAnswer = hex(
    '72 01 00 1d 00 00 00 1a' + ' 00 0a 80 00 00 00 00 00 00 00 12 34' + ' 09 0c 01 04 00 01 00 02 00 03 00 04 40 51',
  );

  it('decodes the information and ATA status return descriptors', () => {
    const sense = decodeSense(ataAnswer)!;
    expect(sense).toMatchObject({ format: 'descriptor', key: SenseKey.recoveredError, valid: true, information: 0x1234n, truncated: false, problems: [] });
    expect(sense.descriptors[1]).toEqual({ kind: 'ATA status return', extend: true, error: 0x04, count: 1, lba: 0x040302, device: 0x40, status: 0x51 });
    expect(describeSense(sense)).toBe(
      'RECOVERED ERROR: ATA PASS THROUGH INFORMATION AVAILABLE (00h/1Dh), information 0000000000001234h, ' +
        'ATA status 51h error 04h count 1 LBA 40302h device 40h (48-bit), descriptor format',
    );
  });

  it('decodes sense key specific, command-specific, stream and block descriptors', () => {
    const sense = decodeSense(
      hex('73 05 24 00 80 00 00 1c' + ' 02 06 00 00 c8 00 01 00' + ' 01 0a 00 00 00 00 00 00 00 00 00 2a' + ' 04 02 00 c0' + ' 05 02 00 20'),
    )!;
    expect(sense).toMatchObject({
      current: false,
      overflow: true,
      commandSpecificInformation: 0x2an,
      senseKeySpecific: { kind: 'field pointer', inCdb: true, byte: 1, bit: 0 },
      filemark: true,
      endOfMedium: true,
      incorrectLength: true,
    });
    expect(describeSense(sense)).toBe(
      'ILLEGAL REQUEST: INVALID FIELD IN CDB (24h/00h), field pointer byte 1 bit 0, command-specific information 000000000000002Ah, ' +
        'FILEMARK EOM, ILI, deferred, descriptor format, SDAT_OVFL',
    );
  });

  it('keeps descriptors it does not know as raw bytes', () => {
    const sense = decodeSense(hex('72 06 29 00 00 00 00 06 0a 04 01 02 03 04'))!;
    expect(sense.descriptors).toEqual([{ kind: 'other', type: 0x0a, bytes: hex('0a 04 01 02 03 04') }]);
    expect(describeSense(sense)).toBe(
      'UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h), descriptor 0Ah: 0a 04 01 02 03 04, descriptor format',
    );
  });

  it('says when a descriptor overruns the sense data or has the wrong length', () => {
    expect(decodeSense(hex('72 05 24 00 00 00 00 06 00 0a 80 00 00 00'))!.problems).toEqual(['descriptor 00h runs past the ADDITIONAL SENSE LENGTH']);
    expect(decodeSense(hex('72 05 24 00 00 00 00 04 03 02 00 07'))!.problems).toEqual([]);
    expect(decodeSense(hex('72 05 24 00 00 00 00 05 03 03 00 07 00'))!.problems).toEqual([
      'field replaceable unit descriptor has ADDITIONAL LENGTH 03h; SPC-5 gives it 02h',
    ]);
  });

  it('says it is truncated when the buffer stops inside the descriptors', () => {
    const sense = decodeSense(ataAnswer.subarray(0, 26))!;
    expect(sense).toMatchObject({ truncated: true, information: 0x1234n, problems: [] });
    expect(sense.descriptors.map((descriptor) => descriptor.kind)).toEqual(['information', 'ATA status return']);
  });
});

describe('decodeSense on anything', () => {
  it('gives null for bytes that are not sense data', () => {
    for (const bytes of ['', '00', '7f 00 05', 'f4 00 00 00']) expect(decodeSense(hex(bytes))).toBeNull();
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('never throws, and prints whatever it decodes', (bytes) => {
    const sense = decodeSense(bytes);
    if (sense) expect(describeSense(sense)).toContain(senseKeyName(sense.key));
  });

  test.prop([fc.constantFrom(0x70, 0x71, 0x72, 0x73, 0xf0, 0xf1), fc.uint8Array({ maxLength: 260 })])(
    'decodes any body after a sense response code',
    (code, body) => {
      expect(decodeSense(Uint8Array.of(code, ...body))).not.toBeNull();
    },
  );
});

describe('ASC and ASCQ names', () => {
  // Spot checks against the wording of SPC-5's "ASC and ASCQ assignments".
  it.each([
    [0x00, 0x00, 'NO ADDITIONAL SENSE INFORMATION'],
    [0x00, 0x06, 'I/O PROCESS TERMINATED'],
    [0x00, 0x16, 'OPERATION IN PROGRESS'],
    [0x00, 0x1d, 'ATA PASS THROUGH INFORMATION AVAILABLE'],
    [0x03, 0x00, 'PERIPHERAL DEVICE WRITE FAULT'],
    [0x04, 0x00, 'LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE'],
    [0x04, 0x01, 'LOGICAL UNIT IS IN PROCESS OF BECOMING READY'],
    [0x04, 0x02, 'LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED'],
    [0x04, 0x03, 'LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED'],
    [0x04, 0x0a, 'LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION'],
    [0x04, 0x1b, 'LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS'],
    [0x08, 0x00, 'LOGICAL UNIT COMMUNICATION FAILURE'],
    [0x0c, 0x00, 'WRITE ERROR'],
    [0x0c, 0x02, 'WRITE ERROR - AUTO REALLOCATION FAILED'],
    [0x10, 0x01, 'LOGICAL BLOCK GUARD CHECK FAILED'],
    [0x11, 0x00, 'UNRECOVERED READ ERROR'],
    [0x11, 0x04, 'UNRECOVERED READ ERROR - AUTO REALLOCATE FAILED'],
    [0x14, 0x01, 'RECORD NOT FOUND'],
    [0x17, 0x01, 'RECOVERED DATA WITH RETRIES'],
    [0x18, 0x01, 'RECOVERED DATA WITH ERROR CORR. & RETRIES APPLIED'],
    [0x1a, 0x00, 'PARAMETER LIST LENGTH ERROR'],
    [0x1d, 0x00, 'MISCOMPARE DURING VERIFY OPERATION'],
    [0x20, 0x00, 'INVALID COMMAND OPERATION CODE'],
    [0x21, 0x00, 'LOGICAL BLOCK ADDRESS OUT OF RANGE'],
    [0x21, 0x04, 'UNALIGNED WRITE COMMAND'],
    [0x24, 0x00, 'INVALID FIELD IN CDB'],
    [0x25, 0x00, 'LOGICAL UNIT NOT SUPPORTED'],
    [0x26, 0x00, 'INVALID FIELD IN PARAMETER LIST'],
    [0x26, 0x01, 'PARAMETER NOT SUPPORTED'],
    [0x26, 0x02, 'PARAMETER VALUE INVALID'],
    [0x26, 0x04, 'INVALID RELEASE OF PERSISTENT RESERVATION'],
    [0x27, 0x00, 'WRITE PROTECTED'],
    [0x27, 0x07, 'SPACE ALLOCATION FAILED WRITE PROTECT'],
    [0x28, 0x00, 'NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED'],
    [0x29, 0x00, 'POWER ON, RESET, OR BUS DEVICE RESET OCCURRED'],
    [0x29, 0x01, 'POWER ON OCCURRED'],
    [0x29, 0x02, 'SCSI BUS RESET OCCURRED'],
    [0x29, 0x03, 'BUS DEVICE RESET FUNCTION OCCURRED'],
    [0x29, 0x04, 'DEVICE INTERNAL RESET'],
    [0x29, 0x07, 'I_T NEXUS LOSS OCCURRED'],
    [0x2a, 0x01, 'MODE PARAMETERS CHANGED'],
    [0x2a, 0x03, 'RESERVATIONS PREEMPTED'],
    [0x2a, 0x04, 'RESERVATIONS RELEASED'],
    [0x2a, 0x05, 'REGISTRATIONS PREEMPTED'],
    [0x2a, 0x06, 'ASYMMETRIC ACCESS STATE CHANGED'],
    [0x2a, 0x09, 'CAPACITY DATA HAS CHANGED'],
    [0x2c, 0x00, 'COMMAND SEQUENCE ERROR'],
    [0x2e, 0x00, 'INSUFFICIENT TIME FOR OPERATION'],
    [0x2f, 0x00, 'COMMANDS CLEARED BY ANOTHER INITIATOR'],
    [0x30, 0x00, 'INCOMPATIBLE MEDIUM INSTALLED'],
    [0x31, 0x00, 'MEDIUM FORMAT CORRUPTED'],
    [0x32, 0x00, 'NO DEFECT SPARE LOCATION AVAILABLE'],
    [0x38, 0x07, 'THIN PROVISIONING SOFT THRESHOLD REACHED'],
    [0x39, 0x00, 'SAVING PARAMETERS NOT SUPPORTED'],
    [0x3a, 0x00, 'MEDIUM NOT PRESENT'],
    [0x3a, 0x02, 'MEDIUM NOT PRESENT - TRAY OPEN'],
    [0x3e, 0x01, 'LOGICAL UNIT FAILURE'],
    [0x3e, 0x03, 'LOGICAL UNIT FAILED SELF-TEST'],
    [0x3f, 0x01, 'MICROCODE HAS BEEN CHANGED'],
    [0x3f, 0x03, 'INQUIRY DATA HAS CHANGED'],
    [0x3f, 0x0e, 'REPORTED LUNS DATA HAS CHANGED'],
    [0x44, 0x00, 'INTERNAL TARGET FAILURE'],
    [0x47, 0x00, 'SCSI PARITY ERROR'],
    [0x4b, 0x01, 'INVALID TARGET PORT TRANSFER TAG RECEIVED'],
    [0x4e, 0x00, 'OVERLAPPED COMMANDS ATTEMPTED'],
    [0x53, 0x02, 'MEDIUM REMOVAL PREVENTED'],
    [0x55, 0x03, 'INSUFFICIENT RESOURCES'],
    [0x55, 0x04, 'INSUFFICIENT REGISTRATION RESOURCES'],
    [0x5d, 0x00, 'FAILURE PREDICTION THRESHOLD EXCEEDED'],
    [0x5d, 0x10, 'HARDWARE IMPENDING FAILURE GENERAL HARD DRIVE FAILURE'],
    [0x5d, 0xff, 'FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)'],
    [0x5e, 0x01, 'IDLE CONDITION ACTIVATED BY TIMER'],
    [0x67, 0x0a, 'SET TARGET PORT GROUPS COMMAND FAILED'],
    [0x74, 0x71, 'LOGICAL UNIT ACCESS NOT AUTHORIZED'],
  ])('%#: %d/%d is %s', (asc, ascq, name) => {
    expect(ascAscqName(asc, ascq)).toBe(name);
  });

  it.each([
    [0x40, 0x85, 'DIAGNOSTIC FAILURE ON COMPONENT 85h (40h/85h)'],
    [0x4d, 0x1f, 'TAGGED OVERLAPPED COMMANDS (TASK TAG 1Fh) (4Dh/1Fh)'],
    [0x70, 0x02, 'DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF 02h (70h/02h)'],
    [0x2e, 0x55, 'ASC/ASCQ 2Eh/55h (unknown)'],
    [0x80, 0x01, 'ASC/ASCQ 80h/01h (vendor specific)'],
    [0x24, 0x85, 'ASC/ASCQ 24h/85h (vendor specific)'],
  ])('names %d/%d by rule: %s', (asc, ascq, text) => {
    expect(describeAscAscq(asc, ascq)).toBe(text);
  });

  // QEMU's SENSE_CODE()s (scsi/utils.c, include/scsi/sense.h) and tgtd's ASC_ constants (usr/scsi.h).
  const qemuCodes = [
    [0x00, 0x00], [0x04, 0x03], [0x3a, 0x00], [0x53, 0x02], [0x44, 0x00], [0x20, 0x00], [0x21, 0x00], [0x24, 0x00], [0x26, 0x00],
    [0x26, 0x01], [0x26, 0x02], [0x1a, 0x00], [0x25, 0x00], [0x39, 0x00], [0x30, 0x00], [0x4b, 0x01], [0x00, 0x06], [0x29, 0x07],
    [0x3e, 0x01], [0x4e, 0x00], [0x08, 0x00], [0x11, 0x00], [0x04, 0x00], [0x2a, 0x09], [0x29, 0x00], [0x29, 0x02], [0x28, 0x00],
    [0x3f, 0x0e], [0x29, 0x04], [0x27, 0x00], [0x27, 0x07], [0x3a, 0x01], [0x3a, 0x02], [0x04, 0x01], [0x04, 0x02],
  ];
  const tgtdCodes = [
    0x0004, 0x0401, 0x0400, 0x3003, 0x3007, 0x2f00, 0x0c04, 0x110d, 0x0005, 0x0002, 0x5100, 0x5d00, 0x5dff, 0x4000, 0x3002, 0x3005,
    0x0402, 0x3f03, 0x5504, 0x2e00, 0x4400, 0x2400, 0x2600, 0x2000, 0x2604, 0x2907, 0x2100, 0x3e00, 0x2500, 0x0403, 0x0001, 0x1501,
    0x5300, 0x3b0d, 0x3100, 0x3a00, 0x300c, 0x5302, 0x3b0e, 0x3f01, 0x1d00, 0x2a01, 0x2800, 0x0016, 0x1a00, 0x3b0c, 0x2900, 0x1100,
    0x1400, 0x1701, 0x3f0e, 0x2a03, 0x2a04, 0x3900, 0x3b00, 0x3001, 0x5000, 0x0c00, 0x2700, 0x5200,
  ].map((code) => [code >> 8, code & 0xff]);

  it.each([...qemuCodes, ...tgtdCodes])('names %d/%d, which QEMU or tgtd returns', (asc, ascq) => {
    expect(ascAscqName(asc, ascq)).toMatch(/^[A-Z0-9]/);
  });

  it('has each code once, in order, in the standard\'s capitals', async () => {
    const { ascAscqAssignments } = await import('../../../harness/scsi/sense/asc-ascq-assignments');
    const codes = ascAscqAssignments.map(([asc, ascq]) => (asc << 8) | ascq);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    expect(new Set(codes).size).toBe(codes.length);
    expect(ascAscqAssignments.filter(([, , name]) => /[a-z]/.test(name))).toEqual([]);
    expect(ascAscqAssignments.length).toBeGreaterThan(700);
  });
});
