import * as scsi from '../../../harness/scsi/opcodes';
import { Departure } from '../../../harness/model/judge-answer';
import { checkCondition, command, diskBlocks, freshState, initialContent, judge, outcome } from './model-fixtures';

const fields = (departures: readonly Departure[]) => departures.map((departure) => `${departure.field}: ${departure.expected} | ${departure.actual}`);

const block = (lba: number): Buffer => initialContent().subarray(lba * 512, (lba + 1) * 512);

/**
 * The model's answers, command by command, as the standard's text gives them (each row cites its section):
 * every row an answer the model must accept or reject, checked through the same judge the campaign uses.
 */
describe('the model, per command', () => {
  const read10 = (lba: number, blocks: number, length = blocks * 512) => command(scsi.read10({ lba, blocks }), 'from-device', length);

  it.each([
    ['SBC-4 5.16: a READ within the capacity returns the blocks', () => outcome(read10(3, 2), { dataIn: Buffer.concat([block(3), block(4)]) }), []],
    ['SBC-4 4.5: a READ past the last LBA is LBA OUT OF RANGE', () => checkCondition(read10(diskBlocks - 1, 2), 5, 0x21, 0), []],
    ['SBC-4 4.5: completing a READ past the last LBA departs', () => outcome(read10(diskBlocks - 1, 2)), ['status: CHECK CONDITION 5/21/00 | GOOD']],
    ['SBC-4 5.16: wrong data departs, named by LBA and byte', () => outcome(read10(3, 1), { dataIn: block(4) }), ['data: LBA 3 byte 0 = 0x04 | LBA 3 byte 0 = 0x05']],
    ['SPC-5 4.2.5.6: a host buffer longer than the transfer leaves a residual', () => outcome(read10(3, 1, 1024), { dataIn: Buffer.concat([block(3), Buffer.alloc(512)]) }), ['residual: 512 | 0']],
    ['SAM-5 5.2: NACA set without ACA is INVALID FIELD IN CDB', () => outcome(command(scsi.testUnitReady({ control: 0x04 }))), ['status: CHECK CONDITION 5/24/00 | GOOD']],
    ['SPC-5 6.7.1: PAGE CODE without EVPD is INVALID FIELD IN CDB', () => checkCondition(command(scsi.inquiry({ pageCode: 0x80, allocationLength: 36 }), 'from-device', 36), 5, 0x24, 0), []],
    ['SBC-4 5.27: SYNCHRONIZE CACHE past the capacity is LBA OUT OF RANGE', () => outcome(command(scsi.synchronizeCache10({ lba: diskBlocks, blocks: 1 }))), ['status: CHECK CONDITION 5/20/00 or CHECK CONDITION 5/21/00 | GOOD']],
    ['SPC-5 6.39: REQUEST SENSE with nothing pending returns NO SENSE', () => outcome(command(scsi.requestSense({ allocationLength: 18 }), 'from-device', 18), { dataIn: Buffer.from('700005000000000a00000000240000000000', 'hex') }), ['data: SPC-5 6.39 (REQUEST SENSE): GOOD, with the pending sense data or NO SENSE, NO ADDITIONAL SENSE INFORMATION | sense 5/24/00, expected 0/00/00']],
    ['SPC-5 4.5.2: an operation code no standard defines for a disk is INVALID COMMAND OPERATION CODE', () => outcome(command(Buffer.from([0x02, 0, 0, 0, 0, 0]))), ['status: CHECK CONDITION 5/20/00 | GOOD']],
  ])('%s', (_, answer, expected) => {
    expect(fields(judge(freshState(), answer()))).toEqual(expected);
  });

  it('SBC-4 4.20.3: after START STOP UNIT with START 0, media access is NOT READY, INITIALIZING COMMAND REQUIRED', () => {
    const state = freshState();
    expect(judge(state, outcome(command(scsi.startStopUnit({ start: false }))))).toEqual([]);
    expect(fields(judge(state, outcome(command(scsi.testUnitReady()))))).toEqual(['status: CHECK CONDITION 2/04/02 | GOOD']);
    // The device carried the command out: the model follows it, so the departure is reported once.
    expect(judge(state, outcome(command(scsi.testUnitReady())))).toEqual([]);
  });

  it('SBC-4 5.33: VERIFY with BYTCHK compares, and a difference is MISCOMPARE with its offset in INFORMATION', () => {
    const different = Buffer.from(block(5));
    different[17] ^= 0xff;
    const verify = command(scsi.verify10({ lba: 5, blocks: 1, bytchk: 1 }), 'to-device', 512, different);
    const miscompare = checkCondition(verify, 0xe, 0x1d, 0);
    miscompare.sense[0] |= 0x80;
    miscompare.sense.writeUInt32BE(16, 3);
    expect(fields(judge(freshState(), miscompare))).toEqual(['sense: e/1d/00 INFORMATION 17 | e/1d/00 INFORMATION 16']);
    // VERIFY is optional (SBC-4 Table 21): not implementing it is allowed too, until the device has shown it does.
    expect(fields(judge(freshState(), outcome(verify)))).toEqual(['status: CHECK CONDITION 5/20/00 or CHECK CONDITION e/1d/00 | GOOD']);
  });

  it('SPC-5 4.5.2: a command once answered INVALID COMMAND OPERATION CODE must stay unimplemented', () => {
    const state = freshState();
    const verify = command(scsi.verify10({ lba: 0, blocks: 1 }));
    expect(judge(state, checkCondition(verify, 5, 0x20, 0))).toEqual([]);
    expect(fields(judge(state, outcome(verify)))).toEqual(['status: CHECK CONDITION 5/20/00 | GOOD']);
  });

  it('SBC-4 5.33: BYTCHK 11b, new in SBC-4, may be refused as INVALID FIELD IN CDB; 01b may not', () => {
    const single = command(scsi.verify10({ lba: 0, blocks: 2, bytchk: 3 }), 'to-device', 512, Buffer.alloc(512));
    expect(judge(freshState(), checkCondition(single, 5, 0x24, 0))).toEqual([]);
    const all = command(scsi.verify10({ lba: 0, blocks: 1, bytchk: 1 }), 'to-device', 512, Buffer.alloc(512));
    expect(fields(judge(freshState(), checkCondition(all, 5, 0x24, 0)))).toEqual(['sense: CHECK CONDITION 5/20/00 or CHECK CONDITION e/1d/00 | 5/24/00']);
  });

  it('SBC-4 5.34: BYTCHK 11b over 4 billion blocks is judged as out of range, without a copy of the block for each of them', () => {
    const huge = command(scsi.verify16({ lba: 0, blocks: 0xffffffff, bytchk: 3 }), 'to-device', 512, Buffer.alloc(512));
    expect(judge(freshState(), checkCondition(huge, 5, 0x21, 0))).toEqual([]);
    expect(fields(judge(freshState(), outcome(huge)))).toEqual([expect.stringMatching(/^status: .*CHECK CONDITION 5\/21\/00.* \| GOOD$/)]);
  });

  it('SPC-5 4.5.2: only GOOD or INVALID COMMAND OPERATION CODE tells whether a device implements a command', () => {
    const state = freshState();
    const verify = command(scsi.verify10({ lba: 0, blocks: 1 }));
    // A HARDWARE ERROR (megasas failing a frame before the device saw it) or a unit attention says nothing either way.
    judge(state, checkCondition(verify, 4, 0x44, 0));
    judge(state, checkCondition(verify, 6, 0x29, 0));
    expect(judge(state, checkCondition(verify, 5, 0x20, 0))).toEqual([]);
  });

  it('SAM-5 5.14: after a reset the first command may meet a UNIT ATTENTION', () => {
    const state = freshState();
    state.reset();
    expect(judge(state, checkCondition(command(scsi.testUnitReady()), 6, 0x29, 2))).toEqual([]);
    // A reset also leaves the power condition open (SBC-4 4.20): stopped or not, until the device shows which.
    expect(fields(judge(state, checkCondition(command(scsi.testUnitReady()), 6, 0x29, 2)))).toEqual(['status: GOOD or CHECK CONDITION 2/04/02 | CHECK CONDITION 6/29/02']);
  });

  it('SPC-5 6.12: MODE SELECT with PF 0 may be refused as INVALID FIELD IN CDB, even with an empty list; with PF 1 and no list it may not', () => {
    const vendorFormat = command(scsi.modeSelect10({ pf: false, parameterListLength: 0 }));
    expect(judge(freshState(), checkCondition(vendorFormat, 5, 0x24, 0))).toEqual([]);
    expect(judge(freshState(), outcome(vendorFormat))).toEqual([]);
    const empty = command(scsi.modeSelect10({ pf: true, parameterListLength: 0 }));
    expect(fields(judge(freshState(), checkCondition(empty, 5, 0x24, 0)))).toEqual(['status: GOOD | CHECK CONDITION 5/24/00']);
  });

  it('SPC-5 6.12: MODE SELECT with a header cut short is PARAMETER LIST LENGTH ERROR', () => {
    const select = command(scsi.modeSelect10({ pf: true, parameterListLength: 4 }), 'to-device', 4, Buffer.alloc(4));
    expect(judge(freshState(), checkCondition(select, 5, 0x1a, 0))).toEqual([]);
    expect(fields(judge(freshState(), checkCondition(select, 5, 0x26, 0)))).toEqual(['sense: CHECK CONDITION 5/1a/00 | 5/26/00']);
  });

  it('READ CAPACITY (10), SBC-4 5.20: the last LBA and the block length', () => {
    const capacity = command(scsi.readCapacity10(), 'from-device', 8);
    const right = Buffer.from([0, 0, 0, diskBlocks - 1, 0, 0, 2, 0]);
    expect(judge(freshState(), outcome(capacity, { dataIn: right }))).toEqual([]);
    expect(fields(judge(freshState(), outcome(capacity, { dataIn: Buffer.from([0, 0, 0, diskBlocks, 0, 0, 2, 0]) })))).toEqual([
      'data: RETURNED LOGICAL BLOCK ADDRESS = 0x3f | RETURNED LOGICAL BLOCK ADDRESS = 0x40',
    ]);
  });
});
