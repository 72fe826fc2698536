import fc from 'fast-check';
import * as scsi from '../../../harness/scsi/opcodes';
import { unmapParameterList } from '../../../harness/scsi/parameters/unmap-parameter-list';
import { command, diskBlocks, freshState, judge, outcome } from './model-fixtures';
import { answerCommand } from '../../../harness/model/answer-command';

const range = fc.integer({ min: 0, max: diskBlocks - 1 }).chain((lba) => fc.record({ lba: fc.constant(lba), blocks: fc.integer({ min: 1, max: diskBlocks - lba }) }));

/** The data a READ of `blocks` blocks from `lba` must return, per the model in `state`. */
const expectedRead = (state: ReturnType<typeof freshState>, lba: number, blocks: number) => {
  const answer = answerCommand(command(scsi.read10({ lba, blocks }), 'from-device', blocks * 512), state);
  const data = answer.completion?.data;
  if (data?.kind !== 'bytes') throw new Error('a READ within the capacity must expect bytes');
  return data;
};

describe('the model is consistent with itself', () => {
  it('what a WRITE puts, a READ returns (SBC-4 4.6)', () => {
    fc.assert(
      fc.property(range, fc.uint8Array({ minLength: 512, maxLength: 512 }), ({ lba, blocks }, pattern) => {
        const state = freshState();
        const data = Buffer.concat(Array.from({ length: blocks }, () => Buffer.from(pattern)));
        expect(judge(state, outcome(command(scsi.write10({ lba, blocks }), 'to-device', data.length, data)))).toEqual([]);
        const read = expectedRead(state, lba, blocks);
        expect(read.open).toEqual([]);
        expect(read.bytes.equals(data)).toBe(true);
        expect(judge(state, outcome(command(scsi.read10({ lba, blocks }), 'from-device', data.length), { dataIn: data }))).toEqual([]);
      }),
    );
  });

  it('what UNMAP frees reads back as zeros with LBPRZ, and as anything without (SBC-4 4.7.4.5)', () => {
    fc.assert(
      fc.property(range, fc.boolean(), ({ lba, blocks }, lbprz) => {
        const state = freshState();
        // The Logical Block Provisioning page as the device reported it: LBPU, and LBPRZ or not.
        state.choices.inquiry.set('b2', Buffer.from([0, 0xb2, 0, 4, 0, 0x80 | (lbprz ? 0x04 : 0), 2, 0]));
        const list = unmapParameterList([{ lba, blocks }]);
        expect(judge(state, outcome(command(scsi.unmap({ parameterListLength: list.length }), 'to-device', list.length, list)))).toEqual([]);
        const read = expectedRead(state, lba, blocks);
        if (lbprz) {
          expect(read.open).toEqual([]);
          expect(read.bytes.every((byte) => byte === 0)).toBe(true);
        } else expect(read.open).toEqual([[0, blocks * 512]]);
      }),
    );
  });

  it('a command the device answered is judged the same against the same state (the model keeps no hidden state)', () => {
    fc.assert(
      fc.property(range, ({ lba, blocks }) => {
        const answer = () => outcome(command(scsi.read10({ lba, blocks }), 'from-device', blocks * 512), { dataIn: Buffer.alloc(blocks * 512) });
        expect(judge(freshState(), answer())).toEqual(judge(freshState(), answer()));
      }),
    );
  });
});
