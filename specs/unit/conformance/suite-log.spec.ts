import { parseSuiteLog } from '../../../harness/conformance/suite-log';
import { parseSgioLine, replayableCommand } from '../../../harness/conformance/logged-command';

// iscsi-test-cu's -v output as it comes through guests/sgio-log in the guest (stdout unbuffered, so the log's
// lines fall inside the tests that sent them, the first one on CUnit's "Test: ..." line).
const output = [
  '~SGIO dir=-3;len=96;cdb=12 00 00 00 60 00;out=;errno=0;status=0;host=0;driver=0;resid=0;sense=',
  '     CUnit - A unit testing framework for C - Version 2.1-3',
  'Suite: TestUnitReady',
  '  Test: Simple ...~SGIO dir=0;len=0;cdb=00*6;out=;errno=0;status=2;host=0;driver=8;resid=0;sense=70 00 04 00 00 00 00 0a 00 00 00 00 44 00 00 00 00 00',
  '    [FAILED] TESTUNITREADY command failed with status 2 / sense key HARDWARE_ERROR(0x04) / ASCQ INTERNAL_TARGET_FAILURE(0x4400)',
  'FAILED',
  '    1. test_testunitready_simple.c:31  - CU_ASSERT_EQUAL(_r,0)',
  'Suite: Write10',
  '  Test: Simple ...~SGIO dir=-2;len=512;cdb=2a 00 00 00 00 00 00 00 01 00;out=-;errno=0;status=0;host=0;driver=0;resid=0;sense=',
  'passed',
  '  Test: Async ...    CU_PASS("[SKIPPED] Non-iSCSI")',
  'passed',
  'Suite: ProutRegister',
  '  Test: Simple ...    [SKIPPED] This PERSISTENT RESERVE test is only supported for iSCSI backends',
  'passed',
  '  Test: Unmap ...    [SKIPPED] UNMAP is not implemented.',
  'passed',
  'Suite: Verify10',
  '  Test: Mismatch ...~SGIO dir=-2;len=512;cdb=2f 00 00 00 00 00 00 00 01 00;out=-;errno=0;status=0;host=0;driver=0;resid=0;sense=',
].join('\n');

describe("parsing iscsi-test-cu's verbose output with the SG_IO log among it", () => {
  const { preamble, records } = parseSuiteLog(output);

  it('finds every test that started, by Suite.Test, in order', () => {
    expect(records.map((record) => record.test)).toEqual(['TestUnitReady.Simple', 'Write10.Simple', 'Write10.Async', 'ProutRegister.Simple', 'ProutRegister.Unmap', 'Verify10.Mismatch']);
  });

  it('gives each test the verdict its result and its notes say', () => {
    expect(Object.fromEntries(records.map((record) => [record.test, record.verdict]))).toEqual({
      'TestUnitReady.Simple': 'fail',
      'Write10.Simple': 'pass',
      // a silent CU_PASS("[SKIPPED] ...") that the log library reports
      'Write10.Async': 'skip',
      'ProutRegister.Simple': 'n/a',
      'ProutRegister.Unmap': 'skip',
      // the output ends before its result: the program died or was cut short
      'Verify10.Mismatch': 'error',
    });
  });

  it('keeps the lines that say why, failed assertions included, and leaves the rest', () => {
    expect(records[0].notes).toEqual([
      '[FAILED] TESTUNITREADY command failed with status 2 / sense key HARDWARE_ERROR(0x04) / ASCQ INTERNAL_TARGET_FAILURE(0x4400)',
      '1. test_testunitready_simple.c:31  - CU_ASSERT_EQUAL(_r,0)',
    ]);
    expect(records[1].notes).toEqual([]);
  });

  it('gives each test the commands it sent, and keeps apart those the suite sent before its first test', () => {
    expect(preamble.map((command) => command.cdb.toString('hex'))).toEqual(['120000006000']);
    expect(records.map((record) => record.commands.length)).toEqual([1, 1, 0, 0, 0, 1]);
    const [unitReady] = records[0].commands;
    expect(unitReady.cdb).toEqual(Buffer.alloc(6));
    expect(unitReady.direction).toBe('none');
    expect(unitReady.answer).toEqual({ errno: 0, status: 2, hostStatus: 0, driverStatus: 8, residual: 0, sense: Buffer.from('70000400000000' + '0a00000000440000000000', 'hex') });
  });
});

describe('an SG_IO log line', () => {
  it('reads data-out written as hex with runs', () => {
    const logged = parseSgioLine('~SGIO dir=-2;len=12;cdb=2a 00 00 00 00 00 00 00 01 00;out=01 02 41*10;errno=0;status=0;host=0;driver=0;resid=0;sense=');
    expect(logged.dataOut).toEqual(Buffer.from([1, 2, ...Array(10).fill(0x41)]));
    expect(replayableCommand(logged)).toEqual({ cdb: logged.cdb, direction: 'to-device', length: 12, dataOut: logged.dataOut });
  });

  it('has no replayable command when its data-out was left out', () => {
    expect(replayableCommand(parseSgioLine('~SGIO dir=-2;len=512;cdb=2a 00 00 00 00 00 00 00 01 00;out=-;errno=0;status=0;host=0;driver=0;resid=0;sense='))).toBeUndefined();
  });

  it.each([
    ['a missing field', '~SGIO dir=-3;len=8;cdb=25 00*9;out=;status=0;host=0;driver=0;resid=0;sense=', 'without errno'],
    ['a direction libiscsi never uses', '~SGIO dir=-4;len=8;cdb=25 00*9;out=;errno=0;status=0;host=0;driver=0;resid=0;sense=', 'direction -4'],
    ['data-out of another length than the transfer', '~SGIO dir=-2;len=4;cdb=2a 00*9;out=00 01;errno=0;status=0;host=0;driver=0;resid=0;sense=', '2 data-out bytes for a 4-byte transfer'],
  ])('is refused with %s', (_, line, why) => {
    expect(() => parseSgioLine(line)).toThrow(why);
  });
});
