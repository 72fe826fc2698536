import { fc, test } from '@fast-check/jest';
import { minimizeCorpus } from '../../../harness/corpus/minimize-corpus';
import { corpusStats } from '../../../harness/corpus/corpus-stats';
import { Behaviour } from '../../../harness/corpus/behaviour';

const coverageArb = fc.array(
  fc.record({ behaviours: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 5 }), cost: fc.nat(5) }),
  { maxLength: 12 },
);

describe('minimizeCorpus', () => {
  test.prop([coverageArb])('keeps every behaviour, and only items that added one', (items) => {
    const kept = minimizeCorpus(items.map((item, index) => ({ ...item, item: index })));
    const all = new Set(items.flatMap((item) => item.behaviours));
    expect(new Set(kept.flatMap((index) => items[index].behaviours))).toEqual(all);
    expect(kept.length).toBeLessThanOrEqual(all.size);
    expect(new Set(kept).size).toBe(kept.length);
  });

  it('keeps one of two cases with the same behaviours, the cheaper, and any case with a behaviour of its own', () => {
    const kept = minimizeCorpus([
      { item: 'long', behaviours: ['a', 'b'], cost: 5 },
      { item: 'short', behaviours: ['b', 'a'], cost: 2 },
      { item: 'odd', behaviours: ['a', 'z'], cost: 9 },
    ]);
    expect(kept.sort()).toEqual(['odd', 'short']);
  });
});

describe('corpusStats', () => {
  it('counts distinct behaviours, per kind and per value of each dimension', () => {
    const answer = (command: string, status: string): Behaviour => ({
      kind: 'answer',
      command,
      path: 'megasas:scsi-hd',
      status,
      transport: 'host 0x0000 driver 0x0000',
      sense: 'none',
      residual: 'none',
    });
    const stats = corpusStats([[answer('12/standard', 'GOOD'), answer('00', 'GOOD')], [answer('00', 'GOOD'), answer('00', 'CHECK CONDITION')]]);
    expect(stats).toMatchObject({ cases: 2, behaviours: 3, kinds: { answer: 3 } });
    expect(stats.dimensions.find((dimension) => dimension.name === 'command')?.values).toEqual([
      { value: '00', behaviours: 2 },
      { value: '12/standard', behaviours: 1 },
    ]);
    expect(stats.dimensions.find((dimension) => dimension.name === 'path')?.values).toEqual([{ value: 'megasas:scsi-hd', behaviours: 3 }]);
  });
});
