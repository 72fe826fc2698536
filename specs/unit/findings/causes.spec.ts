import { viaSgIo } from '../sg-io-outcome';
import { compareRuns } from '../../../harness/diff/compare-runs';
import { emptyPolicy } from '../../../harness/diff/policy';
import { runJudge } from '../../../harness/diff/run-judge';
import { CaseRun } from '../../../harness/execute/case-run';
import { CommandOutcome } from '../../../harness/execute/step-outcome';
import { causesOf } from '../../../harness/findings/causes';
import { ModelJudge } from '../../../harness/model/model-judge';
import { PathId } from '../../../harness/qemu/topology';
import { CodeBranch } from '../../../harness/qemu/trace/code-branch';
import * as scsi from '../../../harness/scsi/opcodes';
import { cdb } from '../../../harness/scsi/cdb';
import { checkCondition, command, initialContent, outcome } from '../model/model-fixtures';

const square = ['megasas:scsi-hd', 'megasas:scsi-block', 'virtio-scsi:scsi-hd', 'virtio-scsi:scsi-block'] as PathId[];

/** A run of several steps: `answers(path, step)` gives each path's outcome. */
const runOf = (commands: ReturnType<typeof command>[], answers: (path: PathId, step: number) => CommandOutcome, paths = square): CaseRun => ({
  case: { steps: commands.map((each) => ({ kind: 'command', command: each })) },
  initialContent: initialContent(),
  runs: paths.map((path) => ({ path, outcomes: commands.map((_, step) => answers(path, step)), disk: { digest: 'same', bytes: undefined } })),
  failure: undefined,
});

const sglRefused: CodeBranch = { name: 'megasas_iovec_sgl_overflow', decides: ['result'] };
const megasasRefuses = (path: PathId, each: ReturnType<typeof command>): CommandOutcome =>
  path.startsWith('megasas') ? { ...checkCondition(each, 4, 0x44, 0), branches: [sglRefused] } : outcome(each);

const testUnitReady = command(scsi.testUnitReady());
const reserve6 = command(cdb([0x16, 0, 0, 0, 0, 0]));
const unknownOpcode = command(cdb([0xc5, 0, 0, 0, 0, 0]));

const texts = (run: CaseRun, byModel: boolean): string[] =>
  causesOf(runJudge(emptyPolicy, byModel ? [new ModelJudge(emptyPolicy)] : [])(run), run).map((each) => each.signature.text);

describe('causesOf', () => {
  it('files one fault of one HBA seen through three opcodes, by the model and by the paths alike, as one cause naming its branch', () => {
    const commands = [testUnitReady, reserve6, unknownOpcode];
    const run = runOf(commands, (path, step) =>
      path.startsWith('megasas') ? megasasRefuses(path, commands[step]) : step === 2 ? checkCondition(unknownOpcode, 5, 0x20, 0) : outcome(commands[step]),
    );
    const fault = '*:result:via megasas_iovec_sgl_overflow';
    expect(texts(run, false)).toEqual([fault]);
    expect(texts(run, true)).toEqual([fault]);
    const [cause] = causesOf(runJudge(emptyPolicy)(run), run);
    expect(new Set(cause.seenThrough.map((each) => each.scope))).toEqual(new Set(['00', '16', 'unknown']));
  });

  it('names the odd path out against the majority, and both sides of an even split, once each and not per pair', () => {
    const read = command(scsi.read10({ lba: 0, blocks: 1 }), 'from-device', 512);
    const odd = runOf([read], (path) => (path === 'virtio-scsi:scsi-block' ? outcome(read, { residual: 256 }) : outcome(read)));
    expect(texts(odd, false)).toEqual(['28:transfer:virtio-scsi:scsi-block residual partial ~ others residual none']);
    const even = runOf([read], (path) => (path.startsWith('virtio') ? outcome(read, { residual: 256 }) : outcome(read)));
    expect(texts(even, false)).toEqual(['*:transfer:megasas residual none ~ virtio-scsi residual partial']);
    const status = runOf([reserve6], (path) => (path === 'virtio-scsi:scsi-block' ? checkCondition(reserve6, 5, 0x20, 0) : outcome(reserve6)));
    expect(texts(status, false)).toEqual(['16:result:virtio-scsi:scsi-block CHECK CONDITION 5/20/00 ~ others GOOD']);
  });

  it('names a departure of the transport (a host status where the device answered) by the HBAs that depart, whatever their disks', () => {
    const run = runOf([testUnitReady], (path) => (path.startsWith('megasas') ? outcome(testUnitReady, viaSgIo({ hostStatus: 0x07 })) : outcome(testUnitReady)));
    expect(texts(run, true)).toEqual(['*:result:model~megasas:transport|GOOD host 0x0007']);
  });

  it('files a split in host status, the transports failing a command their own ways, as one cause through every opcode', () => {
    const commands = [testUnitReady, reserve6];
    const run = runOf(commands, (path, step) => (path.startsWith('virtio') ? outcome(commands[step], viaSgIo({ hostStatus: 0x07 })) : outcome(commands[step])));
    expect(texts(run, false)).toEqual(['*:result:megasas GOOD ~ virtio-scsi GOOD host 0x0007']);
  });

  it('names a transport\'s departure by its host status alone, one cause whatever sense the device gave beside it', () => {
    const commands = [testUnitReady, reserve6];
    const run = runOf(commands, (path, step) =>
      path.startsWith('megasas') ? { ...checkCondition(commands[step], 5, step === 0 ? 0x24 : 0x20, 0), ...viaSgIo({ hostStatus: 0x07, driverStatus: 8 }) } : outcome(commands[step]),
    );
    expect(texts(run, true)).toEqual(['*:result:model~megasas:transport|CHECK CONDITION host 0x0007']);
  });

  it('files HBAs reporting their residuals their own ways through two opcodes as one cause, and one path\'s odd residual per command', () => {
    const commands = [command(scsi.read10({ lba: 0, blocks: 1 }), 'from-device', 512), command(scsi.inquiry({ allocationLength: 36 }), 'from-device', 36)];
    const byHba = runOf(commands, (path, step) => (path.startsWith('virtio') ? outcome(commands[step], { residual: 16 }) : outcome(commands[step])));
    expect(texts(byHba, false)).toEqual(['*:transfer:megasas residual none ~ virtio-scsi residual partial']);
    const onePath = runOf(commands, (path, step) => (path === 'virtio-scsi:scsi-block' ? outcome(commands[step], { residual: 16 }) : outcome(commands[step])));
    expect(texts(onePath, false)).toEqual(['28:transfer:virtio-scsi:scsi-block residual partial ~ others residual none', '12/standard:transfer:virtio-scsi:scsi-block residual partial ~ others residual none']);
  });

  it('lets a branch QEMU took on one side only break an even split, whatever the other side answered', () => {
    const read = command(scsi.read10({ lba: 0, blocks: 1 }), 'from-device', 512);
    const underflow: CodeBranch = { name: 'megasas_iovec_underflow', decides: ['transfer'] };
    const run = runOf([read], (path) => (path.startsWith('megasas') ? { ...outcome(read), branches: [underflow] } : outcome(read, { residual: 256 })));
    expect(texts(run, false)).toEqual(['*:transfer:via megasas_iovec_underflow']);
  });

  it("names a departure by its error branch, and by the route a command took (megasas's LD I/O frames) only where no error branch explains it", () => {
    const read = command(scsi.read10({ lba: 0, blocks: 1 }), 'from-device', 512);
    const route: CodeBranch = { name: 'megasas_handle_io', decides: ['result'], route: true };
    const badTarget: CodeBranch = { name: 'megasas_io_target_not_present', decides: ['result'] };
    const failed = runOf([read], (path) => (path.startsWith('megasas') ? { ...outcome(read), ...viaSgIo({ hostStatus: 4 }), branches: [route, badTarget] } : outcome(read)));
    expect(texts(failed, false)).toEqual(['*:result:via megasas_io_target_not_present']);
    const rewritten = runOf([read], (path) => (path.startsWith('megasas') ? { ...checkCondition(read, 5, 0x24, 0), residual: 0, branches: [route] } : outcome(read)));
    expect(texts(rewritten, false)).toEqual(['*:result:via megasas_handle_io']);
  });

  it('keeps a requirement every command checks in its own code per opcode, and one checked in one place for all of them as one', () => {
    const pastEnd = command(scsi.synchronizeCache10({ lba: 1000, blocks: 1 }));
    expect(texts(runOf([pastEnd], () => outcome(pastEnd)), true)).toEqual(['35:result:model~scsi-hd:lba-out-of-range|GOOD', '35:result:model~scsi-block:lba-out-of-range|GOOD']);
    const naca = (bytes: number[]) => command(cdb(bytes));
    const commands = [naca([0x00, 0, 0, 0, 0, 0x04]), naca([0x1d, 0, 0, 0, 0, 0x04])];
    const found = texts(runOf(commands, (_, step) => outcome(commands[step])), true);
    expect(found.filter((text) => text.includes('naca'))).toEqual(['*:result:model~scsi-hd:naca-unsupported|GOOD', '*:result:model~scsi-block:naca-unsupported|GOOD']);
  });

  it('compares every path once: no divergence means no cause', () => {
    const run = runOf([testUnitReady], () => outcome(testUnitReady));
    expect(compareRuns(run, emptyPolicy)).toEqual([]);
    expect(texts(run, true)).toEqual([]);
  });
});
