import { linuxSenseBytes, megasasCommandFrame } from '../qtest/megasas-command-frame';
import { MfiBody, MfiCommand, MfiFrame, MfiFrameFlag, mfiSgEntryBytes, MfiHeader, MfiSgEntry } from '../qtest/mfi-frame';
import { BufferPlaces, resolveAddress } from './address-choice';
import { AddressRange } from './address-range';
import { frameCommandOf } from './base-command';
import { resolveLength } from './length-choice';
import type { MfiMutation, MfiOverride, SglWidth } from './mfi-mutation';

/** A mutation made concrete in one run's buffers: the frame to post, its frame count, and what it lets the device write. */
export interface MutatedMfiFrame {
  readonly frame: MfiFrame;
  /** Absent: the count Linux would post. */
  readonly frameCount: number | undefined;
  readonly writable: readonly AddressRange[];
}

interface Draft {
  header: MfiHeader;
  body: MfiBody;
  frameCount: number | undefined;
}

const widthFlags: Record<SglWidth, number> = { sgl32: 0, sgl64: MfiFrameFlag.sgl64, ieee: MfiFrameFlag.ieeeSgl };
const low32 = 0xffff_ffffn;

const sglOf = (body: MfiBody): readonly MfiSgEntry[] => ('sgl' in body ? body.sgl : []);
const withSgl = (body: MfiBody, sgl: readonly MfiSgEntry[]): MfiBody => ('sgl' in body ? { ...body, sgl } : body);

/** `entry` in `parts` consecutive pieces of the same total (fewer where it has fewer bytes); the last takes the rest. */
const split = (entry: MfiSgEntry, parts: number): MfiSgEntry[] => {
  const count = Math.max(1, Math.min(parts, entry.length));
  const piece = Math.floor(entry.length / count);
  return Array.from({ length: count }, (_, index) => ({
    address: entry.address + BigInt(index * piece),
    length: index === count - 1 ? entry.length - piece * (count - 1) : piece,
  }));
};

const apply = (draft: Draft, override: MfiOverride, places: BufferPlaces, naturalData: number): Draft => {
  const header = (changes: Partial<MfiHeader>): Draft => ({ ...draft, header: { ...draft.header, ...changes } });
  switch (override.field) {
    case 'cmd':
      return header({ cmd: override.value });
    case 'dcmd':
      return { ...header({ cmd: MfiCommand.dcmd }), body: { layout: 'dcmd', opcode: override.opcode, mailbox: Buffer.from(override.mailbox), sgl: sglOf(draft.body) } };
    case 'flagBits':
      return header({ flags: draft.header.flags ^ override.xor });
    case 'sglWidth':
      return header({ flags: (draft.header.flags & ~(MfiFrameFlag.sgl64 | MfiFrameFlag.ieeeSgl)) | widthFlags[override.value] });
    case 'senseWidth':
      return header({ flags: override.value === 'sense64' ? draft.header.flags | MfiFrameFlag.sense64 : draft.header.flags & ~MfiFrameFlag.sense64 });
    case 'sgeCount':
      return header({ sgeCount: override.value });
    case 'sgl': {
      const sgl = override.entries.map((entry) => ({ address: resolveAddress(entry.address, places), length: resolveLength(entry.length, naturalData) }));
      return { ...header({ sgeCount: sgl.length }), body: withSgl(draft.body, sgl) };
    }
    case 'sglSplit': {
      const [first, ...rest] = sglOf(draft.body);
      if (!first) return draft;
      const sgl = [...split(first, override.parts), ...rest];
      return { ...header({ sgeCount: sgl.length }), body: withSgl(draft.body, sgl) };
    }
    case 'frameCount':
      return { ...draft, frameCount: override.value };
    case 'senseLength':
      return header({ senseLength: override.value });
    case 'senseAddress':
      return 'senseAddress' in draft.body ? { ...draft, body: { ...draft.body, senseAddress: resolveAddress(override.address, places) } } : draft;
    case 'dataTransferLength':
      return header({ dataTransferLength: resolveLength(override.length, draft.header.dataTransferLength) });
    case 'targetId':
      return header({ targetId: override.value });
    case 'lun':
      return header({ lun: override.value });
    case 'cdbLength':
      return header({ cdbLength: override.value });
    case 'timeout':
      return header({ timeout: override.value });
    case 'contextHigh':
      return header({ context: (BigInt(override.value) << 32n) | (draft.header.context & low32) });
  }
};

/** Addresses as wide as their fields: 32-bit SGL entries hold the low half, the rest 64 bits (an entry split past the top wraps). */
const fitted = (draft: Draft): MfiFrame => {
  const width = mfiSgEntryBytes(draft.header.flags) === 8 ? 32 : 64;
  const sgl = sglOf(draft.body).map((entry) => ({ ...entry, address: BigInt.asUintN(width, entry.address) }));
  const body = withSgl(draft.body, sgl);
  return { header: draft.header, body: 'senseAddress' in body ? { ...body, senseAddress: BigInt.asUintN(64, body.senseAddress) } : body };
};

/** Every SGL entry, and the sense buffer at its full and at its 32-bit address (megasas.c reads the high half by the sense64 flag). */
const writableRanges = (frame: MfiFrame): AddressRange[] => {
  const sense = 'senseAddress' in frame.body ? frame.body.senseAddress : undefined;
  return [
    ...sglOf(frame.body).map((entry) => ({ start: entry.address, length: entry.length })),
    ...(sense === undefined ? [] : [sense, sense & low32].map((start) => ({ start, length: frame.header.senseLength }))),
  ];
};

/** The frame `mutation` makes, its base built as a driver of its kind builds it, over the run's buffers. */
export const mutatedMfiFrame = (mutation: MfiMutation, places: BufferPlaces, context: bigint, timeoutMs: number): MutatedMfiFrame => {
  const sense = places.byRole.get('sense') ?? places.fallback;
  const data = places.byRole.get('data');
  const base = megasasCommandFrame(
    frameCommandOf(mutation.command, timeoutMs),
    mutation.kind,
    { senseAddress: BigInt(sense.address), senseBytes: linuxSenseBytes, data: data && { address: BigInt(data.address), length: data.length } },
    context,
  );
  const draft = mutation.overrides.reduce<Draft>((current, override) => apply(current, override, places, data?.length ?? 0), { ...base, frameCount: undefined });
  const frame = fitted(draft);
  return { frame, frameCount: draft.frameCount, writable: writableRanges(frame) };
};
