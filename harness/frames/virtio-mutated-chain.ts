import { encodeRequest, VirtioScsiSizes } from '../qtest/virtio-scsi-request';
import { buildChain, DescriptorChain, VirtqDescriptor, virtqDescNext, virtqDescWrite } from '../qtest/virtq-chain';
import { BufferPlaces, resolveAddress } from './address-choice';
import { AddressRange } from './address-range';
import { frameCommandOf } from './base-command';
import { resolveLength } from './length-choice';
import type { ChainRole, NextChoice, VirtioMutation, VirtioOverride } from './virtio-mutation';

/** Offsets in struct virtio_scsi_cmd_req: lun[8], id (the tag), task_attr, prio, crn, then the CDB. */
const requestField = { lun: 0, taskAttr: 16, prio: 17, crn: 18 } as const;
const lunBytes = 8;

/** The request the command makes (as Linux's virtio_scsi sends it), with the mutation's header fields written over it. */
export const mutatedRequest = (mutation: VirtioMutation, sizes: VirtioScsiSizes, tag: bigint): Buffer => {
  const { target, lun, cdb } = frameCommandOf(mutation.command, 0);
  const bytes = encodeRequest({ target, lun, cdb, tag }, sizes);
  for (const override of mutation.overrides) {
    if (override.field === 'lunBytes') Buffer.from(override.bytes.slice(0, lunBytes)).copy(bytes, requestField.lun);
    if (override.field === 'taskAttr' || override.field === 'prio' || override.field === 'crn') bytes[requestField[override.field]] = override.value;
  }
  return bytes;
};

/** One descriptor's worth of the chain before it is linked: 64-bit addresses, since a mutation may point past 2^53. */
interface ChainItem {
  readonly role: ChainRole | 'extra';
  readonly address: bigint;
  readonly length: number;
  readonly writable: boolean;
}

const roleOf = (bufferRole: string): ChainRole => (bufferRole === 'request' ? 'request' : bufferRole === 'response' ? 'response' : 'data');

/** The well-formed chain's items: request, data-out, response, data-in, each as long as its buffer unless the mutation says otherwise. */
const baseItems = (mutation: VirtioMutation, places: BufferPlaces): ChainItem[] => {
  const lengthOverride = (field: 'requestBytes' | 'responseBytes'): number | undefined =>
    mutation.overrides.reduce<number | undefined>((last, override) => (override.field === field ? override.value : last), undefined);
  const item = (bufferRole: string, writable: boolean, length?: number): ChainItem[] => {
    const buffer = places.byRole.get(bufferRole);
    return buffer ? [{ role: roleOf(bufferRole), address: BigInt(buffer.address), length: length ?? buffer.length, writable }] : [];
  };
  return [...item('request', false, lengthOverride('requestBytes')), ...item('data-out', false), ...item('response', true, lengthOverride('responseBytes')), ...item('data-in', true)];
};

const reshape = (items: ChainItem[], override: VirtioOverride, places: BufferPlaces): ChainItem[] => {
  switch (override.field) {
    case 'split':
      return items.flatMap((item) => {
        if (item.role !== override.role || item.length < 2) return [item];
        const at = Math.min(Math.max(1, override.at), item.length - 1);
        return [{ ...item, length: at }, { ...item, address: item.address + BigInt(at), length: item.length - at }];
      });
    case 'dropDescriptor':
      return items.filter((item) => item.role !== override.role);
    case 'extraDescriptor': {
      const extra: ChainItem = { role: 'extra', address: resolveAddress(override.address, places), length: resolveLength(override.length, 512), writable: override.writable };
      const at = override.position % (items.length + 1);
      return [...items.slice(0, at), extra, ...items.slice(at)];
    }
    default:
      return items;
  }
};

const nextSlot = (choice: NextChoice, descriptor: VirtqDescriptor, head: number, queueSize: number): number => {
  if ('pastQueue' in choice) return queueSize + choice.pastQueue;
  if ('slot' in choice) return choice.slot;
  return choice.to === 'self' ? descriptor.slot : head;
};

const edit = (descriptors: VirtqDescriptor[], override: VirtioOverride, head: number, queueSize: number): VirtqDescriptor[] => {
  if (descriptors.length === 0) return descriptors;
  if (override.field !== 'descriptorLength' && override.field !== 'descriptorFlags' && override.field !== 'descriptorNext') return descriptors;
  const index = override.index % descriptors.length;
  const descriptor = descriptors[index];
  const changed: VirtqDescriptor =
    override.field === 'descriptorLength'
      ? { ...descriptor, length: resolveLength(override.length, descriptor.length) }
      : override.field === 'descriptorFlags'
        ? { ...descriptor, flags: (descriptor.flags ^ override.xor) & 0xffff }
        : // A next index counts only where NEXT says there is one.
          { ...descriptor, flags: descriptor.flags | virtqDescNext, next: nextSlot(override.next, descriptor, head, queueSize) & 0xffff };
  return descriptors.map((each, at) => (at === index ? changed : each));
};

export interface MutatedChain {
  readonly chain: DescriptorChain;
  readonly writable: readonly AddressRange[];
}

/** The chain `mutation` makes over the run's buffers, from descriptor 0 as the driver lays chains out. */
export const mutatedChain = (mutation: VirtioMutation, places: BufferPlaces, queueSize: number): MutatedChain => {
  const items = mutation.overrides.reduce((current, override) => reshape(current, override, places), baseItems(mutation, places));
  const linked = buildChain(
    items.map(({ length, writable }) => ({ address: 0, length, writable })),
    0,
    queueSize,
  );
  const placed = linked.descriptors.map((descriptor, index) => ({ ...descriptor, address: items[index].address }));
  const descriptors = mutation.overrides.reduce((current, override) => edit(current, override, linked.head, queueSize), placed);
  return {
    chain: { head: linked.head, descriptors },
    writable: descriptors.filter((descriptor) => descriptor.flags & virtqDescWrite).map((descriptor) => ({ start: descriptor.address, length: descriptor.length })),
  };
};
