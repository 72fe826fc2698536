import { CaseRun, PathRun } from '../../../harness/execute/case-run';
import { parsePolicy } from '../../../harness/diff/load-policy';
import { emptyPolicy } from '../../../harness/diff/policy';
import { causesOf } from '../../../harness/findings/causes';
import { findingReport } from '../../../harness/findings/report';
import { findingOf } from '../../../harness/findings/finding';
import { ModelJudge } from '../../../harness/model/model-judge';
import { loadModelPolicy } from '../../../harness/model/model-policy';
import { PathId } from '../../../harness/qemu/topology';
import * as scsi from '../../../harness/scsi/opcodes';
import { checkCondition, command, initialContent, outcome } from './model-fixtures';

const synchronizePastEnd = command(scsi.synchronizeCache10({ lba: 1000, blocks: 1 }));

const runOf = (paths: readonly string[], disk?: Buffer): CaseRun => {
  const initial = initialContent();
  const runs: PathRun[] = paths.map((path) => ({ path: path as PathId, outcomes: [outcome(synchronizePastEnd)], disk: { digest: disk ? 'changed' : 'same', bytes: disk } }));
  return { case: { steps: [{ kind: 'command', command: synchronizePastEnd }] }, initialContent: initial, runs, failure: undefined };
};

describe('ModelJudge', () => {
  it('reports a departure every path shares, one per path, as a class of its own', () => {
    const run = runOf(['megasas:scsi-hd', 'virtio-scsi:scsi-hd']);
    const found = new ModelJudge(emptyPolicy).judge(run);
    expect(found.map((divergence) => [divergence.paths, divergence.field, divergence.model?.requirement])).toEqual([
      [['megasas:scsi-hd'], 'status', 'lba-out-of-range'],
      [['virtio-scsi:scsi-hd'], 'status', 'lba-out-of-range'],
    ]);
    const [cause] = causesOf(found, run);
    expect(cause.signature.text).toBe('35:result:model~scsi-hd:lba-out-of-range|GOOD');
    const report = findingReport(findingOf(cause.divergence, cause.signature, run, {}));
    expect(report).toContain('| step | sent | model | megasas:scsi-hd | virtio-scsi:scsi-hd |');
  });

  it("files the paths that depart alike under one cause per kind of disk (QEMU's emulation, the target behind it), naming them", () => {
    const square = runOf(['megasas:scsi-hd', 'megasas:scsi-block', 'virtio-scsi:scsi-hd', 'virtio-scsi:scsi-block']);
    const signed = causesOf(new ModelJudge(emptyPolicy).judge(square), square);
    expect(signed.map((each) => each.signature.text)).toEqual(['35:result:model~scsi-hd:lba-out-of-range|GOOD', '35:result:model~scsi-block:lba-out-of-range|GOOD']);
    expect(signed[0].divergence.paths).toEqual(['megasas:scsi-hd', 'virtio-scsi:scsi-hd']);
    const report = findingReport(findingOf(signed[0].divergence, signed[0].signature, square, {}));
    expect(report).toContain('megasas:scsi-hd, virtio-scsi:scsi-hd depart alike from the reference model');
    const three = runOf(['megasas:scsi-hd', 'virtio-scsi:scsi-hd', 'virtio-scsi:scsi-block']);
    expect(causesOf(new ModelJudge(emptyPolicy).judge(three), three).map((each) => each.signature.text)).toEqual(signed.map((each) => each.signature.text));
    const conforming = { ...three, runs: three.runs.map((run) => (run.path === 'virtio-scsi:scsi-hd' ? { ...run, outcomes: [checkCondition(synchronizePastEnd, 5, 0x21, 0)] } : run)) };
    // However many paths of that kind show it: the cause is the disk's, the paths are the report's.
    const [alone] = causesOf(new ModelJudge(emptyPolicy).judge(conforming), conforming);
    expect([alone.signature.text, alone.divergence.paths]).toEqual(['35:result:model~scsi-hd:lba-out-of-range|GOOD', ['megasas:scsi-hd']]);
  });

  it('judges each case by what the case itself shows: a unit an earlier case stopped may be stopped or not', () => {
    const judge = new ModelJudge(emptyPolicy);
    const single = (cmd: ReturnType<typeof command>, answer = outcome(cmd)): CaseRun => ({
      case: { steps: [{ kind: 'command', command: cmd }] },
      initialContent: initialContent(),
      runs: [{ path: 'virtio-scsi:scsi-hd' as PathId, outcomes: [answer], disk: { digest: 'same', bytes: undefined } }],
      failure: undefined,
    });
    const stop = command(scsi.startStopUnit({ start: false }));
    expect(judge.judge(single(stop))).toEqual([]);
    const ready = command(scsi.testUnitReady());
    // Within one case, a stopped unit must say NOT READY; in the next case the model cannot know it was stopped.
    expect(judge.judge(single(ready))).toEqual([]);
    expect(judge.judge(single(ready, checkCondition(ready, 2, 0x04, 0x02)))).toEqual([]);
  });

  it('compares the disk with the model block by block and decodes the first differing blocks', () => {
    const disk = initialContent();
    disk.fill(0, 5 * 512, 6 * 512);
    const [content] = new ModelJudge(emptyPolicy).judge(runOf(['virtio-scsi:scsi-hd'], disk)).filter((divergence) => divergence.field === 'content');
    expect(content.values).toEqual(['LBA 5: unexplained bytes 0606060606060606…', 'LBA 5: zeros']);
  });

  it('lets a model policy rule excuse one requirement of one command on one kind of path, and nothing else', () => {
    const policy = parsePolicy(
      JSON.stringify({
        format: 'hbadiff-policy/1',
        rules: [{ id: 'no-range-check', between: ['model', '*:scsi-block'], opcode: '35', field: 'status', requirement: 'lba-out-of-range', reason: 'the target flushes everything' }],
      }),
      'model-policy.json',
      'model',
    );
    const found = new ModelJudge(policy).judge(runOf(['megasas:scsi-hd', 'megasas:scsi-block']));
    expect(found.map((divergence) => divergence.paths[0])).toEqual(['megasas:scsi-hd']);
  });

  it('refuses a model policy rule that does not name the model, and the project policy is valid', () => {
    const rule = { id: 'x', between: ['*:scsi-hd', '*:scsi-block'], opcode: '35', field: 'status', reason: 'no model side here' };
    expect(() => parsePolicy(JSON.stringify({ format: 'hbadiff-policy/1', rules: [rule] }), 'p.json', 'model')).toThrow(/between "model" and one path/);
    expect(loadModelPolicy().rules.every((candidate) => candidate.reason.length > 10)).toBe(true);
  });
});

describe('ModelJudge on a group of queued commands', () => {
  const written = Buffer.alloc(512, 0xee);
  const write = command(scsi.write10({ lba: 5, blocks: 1 }), 'to-device', 512, written);
  const read = command(scsi.read10({ lba: 5, blocks: 1 }), 'from-device', 512);
  const runOfGroup = (readBack: Buffer, queued: boolean): CaseRun => {
    const steps = [write, read].map((each) => ({ kind: 'command' as const, command: each, ...(queued && { queued: true as const }) }));
    const outcomes = [outcome(write, { completedAs: 1 }), outcome(read, { dataIn: readBack, completedAs: 0 })];
    const disk = Buffer.from(initialContent());
    written.copy(disk, 5 * 512);
    return { case: { steps }, initialContent: initialContent(), runs: [{ path: 'virtio-scsi:scsi-hd' as PathId, outcomes, disk: { digest: 'changed', bytes: disk } }], failure: undefined };
  };
  const before = initialContent().subarray(5 * 512, 6 * 512);

  it('accepts the answers of any serial order of the group: the READ may have run before the WRITE', () => {
    expect(new ModelJudge(emptyPolicy).judge(runOfGroup(before, true))).toEqual([]);
    expect(new ModelJudge(emptyPolicy).judge(runOfGroup(written, true))).toEqual([]);
  });

  it('holds commands not queued to the order they were sent in, and a group to some order', () => {
    expect(new ModelJudge(emptyPolicy).judge(runOfGroup(before, false)).map((divergence) => [divergence.step, divergence.field])).toEqual([[1, 'data']]);
    const neither = Buffer.alloc(512, 0x11);
    expect(new ModelJudge(emptyPolicy).judge(runOfGroup(neither, true)).map((divergence) => [divergence.step, divergence.field])).toEqual([[1, 'data']]);
  });
});
