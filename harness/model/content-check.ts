import { CaseRun, DiskAfter } from '../execute/case-run';
import { sectorBytes } from './block-content';
import { DeviceState } from './device-state';

/** How many differing blocks a content departure decodes. */
const shownBlocks = 3;

const isZero = (block: Buffer): boolean => block.every((byte) => byte === 0);

/**
 * What a block holds, as far as the case can tell: zeros, some LBA's initial content (each initial block
 * carries its LBA up front), a block of some step's data-out, or bytes nothing in the case explains.
 */
export const describeBlock = (block: Buffer, run: CaseRun): string => {
  if (isZero(block)) return 'zeros';
  if (block.length >= 8) {
    const lba = Number(block.readBigUInt64BE(0));
    const initial = run.initialContent.subarray(lba * sectorBytes, (lba + 1) * sectorBytes);
    if (initial.length === block.length && initial.equals(block)) return `the initial content of LBA ${lba}`;
  }
  for (const [index, step] of run.case.steps.entries()) {
    const data = step.kind === 'command' ? step.command.dataOut : undefined;
    for (let offset = 0; data && offset + block.length <= data.length; offset += sectorBytes) {
      if (data.subarray(offset, offset + block.length).equals(block)) return `data-out of step ${index}, block ${offset / sectorBytes}`;
    }
  }
  return `unexplained bytes ${block.subarray(0, 8).toString('hex')}…`;
};

/**
 * The disk after the case against the model's content, sector by sector (the model leaves open what the
 * standard does, such as deallocated blocks without LBPRZ): the first differing blocks, decoded on both
 * sides; undefined when they agree.
 */
export const contentDeparture = (run: CaseRun, disk: DiskAfter, state: DeviceState): { expected: string; actual: string } | undefined => {
  const actual = disk.bytes ?? run.initialContent;
  const differing = new Set<number>();
  const compareSector = (sector: number): void => {
    const view = state.content.read(sector * sectorBytes, sectorBytes, state.lbprz);
    if (view.open.length === 0 && !view.bytes.equals(actual.subarray(sector * sectorBytes, (sector + 1) * sectorBytes))) differing.add(sector);
  };
  // Unchanged on the disk, only the sectors the model changed can differ; changed, every sector may.
  const candidates = disk.bytes ? Array.from({ length: Math.ceil(actual.length / sectorBytes) }, (_, sector) => sector) : state.content.changedSectors();
  candidates.forEach(compareSector);
  if (differing.size === 0) return undefined;
  const sorted = [...differing].sort((a, b) => a - b);
  const shown = sorted.slice(0, shownBlocks);
  const lbaOf = (sector: number) => Math.floor((sector * sectorBytes) / state.blockBytes);
  const more = sorted.length > shownBlocks ? `; ${sorted.length - shownBlocks} more` : '';
  const side = (blockOf: (sector: number) => string) => `${shown.map((sector) => `LBA ${lbaOf(sector)}: ${blockOf(sector)}`).join('; ')}${more}`;
  return {
    expected: side((sector) => {
      const view = state.content.read(sector * sectorBytes, sectorBytes, state.lbprz);
      return describeBlock(view.bytes, run);
    }),
    actual: side((sector) => describeBlock(actual.subarray(sector * sectorBytes, (sector + 1) * sectorBytes), run)),
  };
};
