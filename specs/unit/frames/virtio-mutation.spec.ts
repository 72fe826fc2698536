import fc from 'fast-check';
import { BufferPlaces } from '../../../harness/frames/address-choice';
import { BaseCommand } from '../../../harness/frames/base-command';
import { mutatedChain, mutatedRequest } from '../../../harness/frames/virtio-mutated-chain';
import { answerNeutralVirtio, VirtioMutation, virtioMutationArbitrary } from '../../../harness/frames/virtio-mutation';
import { virtqDescNext, virtqDescWrite } from '../../../harness/qtest/virtq-chain';

const queueSize = 128;
const buffer = (label: string, address: number, length: number) => [label, { label, address, length }] as const;
const places: BufferPlaces = {
  byRole: new Map([buffer('request', 0x1000, 51), buffer('response', 0x2000, 108), buffer('data-in', 0x3000, 36), buffer('spare', 0x4000, 512)]),
  fallback: { label: 'spare', address: 0x4000, length: 512 },
};
const inquiry: BaseCommand = { target: 1, lun: 0, cdb: [0x12, 0, 0, 0, 36, 0], direction: 'in', dataBytes: 36 };
const chainOf = (overrides: VirtioMutation['overrides']) => mutatedChain({ command: inquiry, overrides }, places, queueSize);

describe('mutatedChain', () => {
  it('without overrides is request, response, data-in, linked from slot 0, the device writing the last two', () => {
    const { chain, writable } = chainOf([]);
    expect(chain.descriptors.map(({ slot, address, length, flags, next }) => [slot, Number(address), length, flags, next])).toEqual([
      [0, 0x1000, 51, virtqDescNext, 1],
      [1, 0x2000, 108, virtqDescNext | virtqDescWrite, 2],
      [2, 0x3000, 36, virtqDescWrite, 0],
    ]);
    expect(writable).toEqual([{ start: 0x2000n, length: 108 }, { start: 0x3000n, length: 36 }]);
  });

  it('splits the response in two descriptors of the same total at the byte asked', () => {
    const { chain } = chainOf([{ field: 'split', role: 'response', at: 12 }]);
    expect(chain.descriptors.map(({ address, length }) => [Number(address), length])).toEqual([
      [0x1000, 51],
      [0x2000, 12],
      [0x200c, 96],
      [0x3000, 36],
    ]);
  });

  it('points a next index past the queue, setting NEXT so that it counts', () => {
    const { chain } = chainOf([{ field: 'descriptorNext', index: 5, next: { pastQueue: 1 } }]);
    expect(chain.descriptors[2]).toMatchObject({ next: queueSize + 1, flags: virtqDescWrite | virtqDescNext });
  });

  it('leaves a role out, and inserts an extra descriptor at its position', () => {
    const { chain } = chainOf([
      { field: 'dropDescriptor', role: 'data' },
      { field: 'extraDescriptor', position: 0, address: { fixed: 'zero' }, length: { fixed: 0 }, writable: true },
    ]);
    expect(chain.descriptors.map(({ address, length }) => [Number(address), length])).toEqual([
      [0, 0],
      [0x1000, 51],
      [0x2000, 108],
    ]);
  });

  it('writes the request header fields a mutation names over the request Linux sends', () => {
    const request = mutatedRequest({ command: inquiry, overrides: [{ field: 'lunBytes', bytes: [2, 0, 0x40, 0, 0, 0, 0, 0] }, { field: 'crn', value: 0xff }] }, { cdbBytes: 32, senseBytes: 96 }, 5n);
    expect([...request.subarray(0, 8)]).toEqual([2, 0, 0x40, 0, 0, 0, 0, 0]);
    expect(request.readBigUInt64LE(8)).toBe(5n);
    expect(request[18]).toBe(0xff);
    expect([...request.subarray(19, 25)]).toEqual(inquiry.cdb);
  });

  it('holds a chain to its unmutated answer only for neutral changes: a SAM task attribute, priority, CRN, a split', () => {
    expect(answerNeutralVirtio({ command: inquiry, overrides: [{ field: 'taskAttr', value: 3 }, { field: 'split', role: 'data', at: 8 }] })).toBe(true);
    expect(answerNeutralVirtio({ command: inquiry, overrides: [{ field: 'taskAttr', value: 4 }] })).toBe(false);
  });

  it('makes every drawn mutation a chain of 16-bit flags and next indices and 32-bit lengths, read back from JSON as drawn', () => {
    fc.assert(
      fc.property(virtioMutationArbitrary, (mutation) => {
        const { chain } = mutatedChain(mutation, places, queueSize);
        for (const descriptor of chain.descriptors) {
          expect(descriptor.flags).toBeLessThanOrEqual(0xffff);
          expect(descriptor.next).toBeLessThanOrEqual(0xffff);
          expect(descriptor.length).toBeLessThanOrEqual(0xffff_ffff);
        }
        expect(JSON.parse(JSON.stringify(mutation))).toEqual(mutation);
      }),
      { numRuns: 500 },
    );
  });
});
