import fc from 'fast-check';
import { Case, CaseStep } from '../../../harness/case/case-types';
import { PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';
import { read10, testUnitReady } from '../../../harness/scsi/opcodes';
import { caseSize, isSmaller } from '../../../harness/shrink/case-size';
import { shrinkCase } from '../../../harness/shrink/shrink-case';
import { smallerCases } from '../../../harness/shrink/smaller-cases';
import { caseArb } from '../case/case-arbitraries';

const paths = ['megasas:scsi-hd', 'virtio-scsi:scsi-hd', 'megasas:scsi-block', 'virtio-scsi:scsi-block'] as PathId[];

const command = (bytes: number[], direction: 'none' | 'from-device' | 'to-device' = 'none', length = 0): CaseStep => ({
  kind: 'command',
  command: { cdb: cdb(bytes), direction, length, ...(direction === 'to-device' ? { dataOut: Buffer.alloc(length, 0xa5) } : {}) },
});

const withOpcode = (testCase: Case, opcode: number) =>
  testCase.steps.find((step) => step.kind === 'command' && step.command.cdb[0] === opcode);

const opcodes = (testCase: Case) => testCase.steps.flatMap((step) => (step.kind === 'command' ? [step.command.cdb[0]] : []));

/** What a real QEMU does is not the question here: a rule over the case stands for "still shows the signature". */
const showsWhen = (rule: (testCase: Case) => boolean) => async (testCase: Case) => (rule(testCase) ? testCase.steps.length : undefined);

describe('shrinkCase', () => {
  const sequence: Case = {
    paths,
    steps: [
      command([...testUnitReady({})]),
      command([0x2a, 0x08, 0, 0, 0, 0x10, 0, 0, 1, 0], 'to-device', 512),
      { kind: 'reset', reset: 'device' },
      command([...read10({ lba: 16, blocks: 1 })], 'from-device', 4096),
      command([...testUnitReady({})]),
    ],
  };

  it('keeps only the step the behaviour needs, and zeroes every CDB byte it does not', async () => {
    const shrunk = await shrinkCase(sequence, 5, showsWhen((testCase) => withOpcode(testCase, 0x28) !== undefined), {
      maxAttempts: 200,
      fewestPaths: 2,
    });
    expect(shrunk.case.paths).toHaveLength(2);
    expect(shrunk.case.steps).toHaveLength(1);
    const [step] = shrunk.case.steps;
    expect(step.kind === 'command' && [...step.command.cdb]).toEqual([0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(step.kind === 'command' && step.command.length).toBe(0);
    expect(shrunk.evidence).toBe(1);
  });

  it('keeps two steps when the behaviour needs both, in their order, and the bytes it needs', async () => {
    const writeThenRead = (testCase: Case) => {
      const write = testCase.steps.findIndex((step) => step.kind === 'command' && step.command.cdb[0] === 0x2a && step.command.cdb[5] === 0x10);
      const read = testCase.steps.findIndex((step) => step.kind === 'command' && step.command.cdb[0] === 0x28);
      return write >= 0 && read > write;
    };
    const shrunk = await shrinkCase(sequence, 5, showsWhen(writeThenRead), { maxAttempts: 200, fewestPaths: 2 });
    expect(shrunk.case.steps.map((step) => step.kind === 'command' && step.command.cdb[0])).toEqual([0x2a, 0x28]);
    const [write] = shrunk.case.steps;
    expect(write.kind === 'command' && [...write.command.cdb]).toEqual([0x2a, 0, 0, 0, 0, 0x10, 0, 0, 0, 0]);
  });

  it('stops at its budget, with the smallest case found so far', async () => {
    const shrunk = await shrinkCase(sequence, 5, showsWhen(() => true), { maxAttempts: 3, fewestPaths: 2 });
    expect(shrunk.attempts).toBe(3);
    expect(isSmaller(shrunk.case, sequence)).toBe(true);
  });

  it('returns the case as it was when nothing smaller shows the behaviour', async () => {
    const shrunk = await shrinkCase(sequence, 5, showsWhen((testCase) => testCase.steps.length === 5 && testCase.paths?.length === 4 && caseSize(testCase).join() === caseSize(sequence).join()), {
      maxAttempts: 500,
      fewestPaths: 2,
    });
    expect(shrunk.case).toBe(sequence);
    expect(shrunk.accepted).toBe(0);
  });

  it('never offers a candidate that is not smaller, and every candidate is a case the format can hold', () => {
    fc.assert(
      fc.property(caseArb, (testCase) => {
        expect(isSmaller(testCase, testCase)).toBe(false);
        let count = 0;
        for (const candidate of smallerCases(testCase, 2)) {
          if (count++ > 200) break;
          expect(candidate.steps.length).toBeGreaterThan(0);
          for (const step of candidate.steps) {
            if (step.kind !== 'command') continue;
            expect(opcodes(testCase)).toContain(step.command.cdb[0]);
            if (step.command.direction === 'to-device') expect(step.command.dataOut?.length).toBe(step.command.length);
          }
          expect(isSmaller(candidate, testCase)).toBe(true);
          if (candidate.paths) expect(candidate.paths.length).toBeGreaterThanOrEqual(Math.min(2, testCase.paths?.length ?? 2));
        }
      }),
    );
  });

  it('ends for every case and rule, with a case that still shows the behaviour and is no larger', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.integer({ min: 0, max: 255 }), async (testCase, byte) => {
        const rule = (candidate: Case) => candidate.steps.some((step) => step.kind === 'command' && step.command.cdb.includes(byte));
        fc.pre(rule(testCase));
        const shrunk = await shrinkCase(testCase, 0, showsWhen(rule), { maxAttempts: 10_000, fewestPaths: 2 });
        expect(rule(shrunk.case)).toBe(true);
        expect(shrunk.case === testCase || isSmaller(shrunk.case, testCase)).toBe(true);
        expect(shrunk.case.steps).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});
