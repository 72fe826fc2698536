import {
  decodeSupportedOperationCode,
  decodeSupportedOperationCodes,
  describeSupportedOperationCodes,
} from '../../../harness/scsi/data-in/supported-operation-codes';
import {
  hex,
  tgtdSupportedOperationCode28Timeouts,
  tgtdSupportedOperationCode9e10,
  tgtdSupportedOperationCodes,
  tgtdSupportedOperationCodesTimeouts,
} from './captured-answers';

describe('REPORT SUPPORTED OPERATION CODES data', () => {
  it("decodes tgtd's fifty commands and names them from the command table", () => {
    const data = decodeSupportedOperationCodes(tgtdSupportedOperationCodes);
    expect(data).toMatchObject({ commandDataLength: 400, truncated: false, problems: [] });
    expect(data.commands).toHaveLength(50);
    expect(data.commands.find((command) => command.opcode === 0x9e && command.serviceAction === 0x12)).toMatchObject({
      servactv: true,
      cdbLength: 16,
      name: 'GET LBA STATUS (16)',
    });
    // tgtd lists UNMAP, yet answers it with INVALID COMMAND OPERATION CODE when thin provisioning is off.
    expect(data.commands.some((command) => command.opcode === 0x42)).toBe(true);
    expect(describeSupportedOperationCodes(data)).toContain('  28h: READ (10), 10-byte CDB');
  });

  it('reads the command timeouts descriptors that RCTD asks for', () => {
    const data = decodeSupportedOperationCodes(tgtdSupportedOperationCodesTimeouts);
    expect(data.commands).toHaveLength(50);
    expect(data.commands[0]).toMatchObject({ opcode: 0, ctdp: true, timeouts: { descriptorLength: 10, nominalTimeout: 0, recommendedTimeout: 0 } });
  });

  it("decodes the one-command form for READ (10), with tgtd's usage map", () => {
    expect(decodeSupportedOperationCode(tgtdSupportedOperationCode28Timeouts)).toMatchObject({
      ctdp: true,
      support: 3,
      cdbSize: 10,
      usageData: hex('28 fe ff ff ff ff 00 ff ff 07'),
      timeouts: { descriptorLength: 10 },
      truncated: false,
      problems: [],
    });
  });

  // SPC-5: the usage data carries the service action itself; tgtd gives a mask of 1Fh.
  it("flags tgtd's usage data for READ CAPACITY (16)", () => {
    expect(decodeSupportedOperationCode(tgtdSupportedOperationCode9e10).problems).toEqual([
      'CDB USAGE DATA byte 1 holds service action 1Fh, which SERVICE ACTION IN (16) does not define',
    ]);
  });

  it('decodes "not supported" with no usage data', () => {
    expect(decodeSupportedOperationCode(hex('00 01 00 00'))).toMatchObject({ support: 1, cdbSize: 0, usageData: hex(''), problems: [] });
  });
});
