import fc from 'fast-check';
import { BufferPlaces } from '../../../harness/frames/address-choice';
import { BaseCommand } from '../../../harness/frames/base-command';
import { mutatedMfiFrame } from '../../../harness/frames/mfi-mutated-frame';
import { answerNeutralMfi, MfiMutation, mfiMutationArbitrary } from '../../../harness/frames/mfi-mutation';
import { encodeMfiFrame, MfiCommand, MfiFrameFlag } from '../../../harness/qtest/mfi-frame';

const places: BufferPlaces = {
  byRole: new Map([
    ['sense', { label: 'sense', address: 0x10_0040, length: 96 }],
    ['data', { label: 'data', address: 0x10_1000, length: 4096 }],
    ['spare', { label: 'spare', address: 0x10_3000, length: 512 }],
  ]),
  fallback: { label: 'spare', address: 0x10_3000, length: 512 },
};

const read10: BaseCommand = { target: 0, lun: 0, cdb: [0x28, 0, 0, 0, 0, 5, 0, 0, 8, 0], direction: 'in', dataBytes: 4096 };

const frameOf = (overrides: MfiMutation['overrides'], kind: MfiMutation['kind'] = 'ld') => mutatedMfiFrame({ command: read10, kind, overrides }, places, 9n, 100);

describe('mutatedMfiFrame', () => {
  it('without overrides is the frame the driver of its kind builds, over the run’s buffers', () => {
    const { frame, frameCount, writable } = frameOf([]);
    expect(frame.header).toMatchObject({ cmd: MfiCommand.ldScsiIo, sgeCount: 1, dataTransferLength: 4096, cdbLength: 10, context: 9n });
    expect(frame.body).toMatchObject({ layout: 'pass-through', senseAddress: 0x10_0040n, sgl: [{ address: 0x10_1000n, length: 4096 }] });
    expect(frameCount).toBeUndefined();
    expect(writable).toEqual(expect.arrayContaining([{ start: 0x10_1000n, length: 4096 }, { start: 0x10_0040n, length: 96 }]));
  });

  it('splits the data entry into consecutive pieces of the same total and counts them in sge_count', () => {
    const { frame } = frameOf([{ field: 'sglSplit', parts: 3 }]);
    expect(frame.header.sgeCount).toBe(3);
    expect('sgl' in frame.body && frame.body.sgl).toEqual([
      { address: 0x10_1000n, length: 1365 },
      { address: 0x10_1000n + 1365n, length: 1365 },
      { address: 0x10_1000n + 2730n, length: 1366 },
    ]);
  });

  it('points a replaced SGL at a guard by role and edge, and says the device may write there', () => {
    const { frame, writable } = frameOf([{ field: 'sgl', entries: [{ address: { near: 'sense', from: 'end', delta: 0 }, length: { fixed: 8 } }] }]);
    expect('sgl' in frame.body && frame.body.sgl).toEqual([{ address: 0x10_0040n + 96n, length: 8 }]);
    expect(writable).toContainEqual({ start: 0x10_0040n + 96n, length: 8 });
  });

  it('writes 32-bit SGL entries with the low half of an address past 4 GiB, as the field holds it', () => {
    const { frame } = frameOf([
      { field: 'sgl', entries: [{ address: { fixed: 'above-4g' }, length: { delta: 0 } }] },
      { field: 'sglWidth', value: 'sgl32' },
    ]);
    expect(frame.header.flags & (MfiFrameFlag.sgl64 | MfiFrameFlag.ieeeSgl)).toBe(0);
    expect('sgl' in frame.body && frame.body.sgl).toEqual([{ address: 0n, length: 4096 }]);
  });

  it('wraps an entry split past the top of the 64-bit address space, as the field holds it', () => {
    const { frame } = frameOf([
      { field: 'sgl', entries: [{ address: { fixed: 'top' }, length: { fixed: 0xffff_ffff } }] },
      { field: 'sglSplit', parts: 2 },
    ]);
    expect('sgl' in frame.body && frame.body.sgl.map((entry) => entry.address)).toEqual([0xffff_ffff_ffff_f000n, BigInt.asUintN(64, 0xffff_ffff_ffff_f000n + 0x7fff_ffffn)]);
    expect(() => encodeMfiFrame(frame)).not.toThrow();
  });

  it('turns the frame into a DCMD with its opcode and mailbox, keeping the SGL', () => {
    const { frame } = frameOf([{ field: 'dcmd', opcode: 0x01010000, mailbox: Array(12).fill(7) }], 'linux');
    expect(frame.header.cmd).toBe(MfiCommand.dcmd);
    expect(frame.body).toEqual({ layout: 'dcmd', opcode: 0x01010000, mailbox: Buffer.alloc(12, 7), sgl: [{ address: 0x10_1000n, length: 4096 }] });
  });

  it('keeps the context’s low half, which the reply queue carries, when the high half is overridden', () => {
    expect(frameOf([{ field: 'contextHigh', value: 0xffff_ffff }]).frame.header.context).toBe(0xffff_ffff_0000_0009n);
  });

  it('holds a frame to its unmutated answer only when every override is neutral', () => {
    expect(answerNeutralMfi({ command: read10, kind: 'ld', overrides: [{ field: 'sglSplit', parts: 2 }, { field: 'frameCount', value: 0 }] })).toBe(true);
    expect(answerNeutralMfi({ command: read10, kind: 'ld', overrides: [{ field: 'sglSplit', parts: 2 }, { field: 'cdbLength', value: 17 }] })).toBe(false);
    expect(answerNeutralMfi({ command: read10, kind: 'ld', overrides: [] })).toBe(false);
  });

  it('makes every drawn mutation a frame the encoder writes, and reads back from JSON as drawn', () => {
    fc.assert(
      fc.property(mfiMutationArbitrary, (mutation) => {
        const { frame, frameCount } = mutatedMfiFrame(mutation, places, 1n, 100);
        expect(encodeMfiFrame(frame).length).toBeGreaterThanOrEqual(64);
        expect(frameCount === undefined || (frameCount >= 0 && frameCount <= 15)).toBe(true);
        expect(JSON.parse(JSON.stringify(mutation))).toEqual(mutation);
      }),
      { numRuns: 3000 },
    );
  });
});
