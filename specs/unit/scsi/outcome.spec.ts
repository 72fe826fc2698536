import { ExecResult } from '../../../harness/guest/messages';
import { sgIoAnswer } from '../../../harness/guest/sg-io-delivery';
import { describeOutcome } from '../../../harness/scsi/outcome';
import { megasasTargetFailureSense, qemuUnitAttentionSense } from './captured-answers';

const result = (overrides: Partial<ExecResult>): ExecResult =>
  ({
  errno: 0,
  status: 0,
  hostStatus: 0,
  driverStatus: 0,
  sense: Buffer.alloc(0),
  residual: 0,
  info: 0,
  durationNs: 0n,
  dataIn: Buffer.alloc(0),
    ...overrides,
  }) as ExecResult;

describe('describeOutcome', () => {
  it('names the status alone when all went well', () => {
    expect(describeOutcome(sgIoAnswer(result({})))).toBe('GOOD');
  });

  it('describes the sense data in words, leaving out the DRIVER_SENSE that only says sense came', () => {
    expect(describeOutcome(sgIoAnswer(result({ status: 2, driverStatus: 8, sense: megasasTargetFailureSense })))).toBe(
      'CHECK CONDITION, HARDWARE ERROR: INTERNAL TARGET FAILURE (44h/00h), information 00000000h',
    );
    expect(describeOutcome(sgIoAnswer(result({ status: 2, sense: qemuUnitAttentionSense })))).toBe(
      'CHECK CONDITION, UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h)',
    );
  });

  it('says when SG_IO itself failed', () => {
    expect(describeOutcome(sgIoAnswer(result({ errno: 22 })))).toBe('SG_IO errno 22');
  });
});
