import { CommandContext } from '../command-context';
import { DeviceState, known } from '../device-state';
import { ModelAnswer, checkCondition, completes, invalidFieldInCdb, permitting, rejects } from '../model-answer';
import { Requirements } from '../requirement';
import { PageControl, pageKeyOf, pagesIn, valuesKey, withoutPs } from './mode-pages';
import { inconsistency, selfDescribedTransfer } from './self-described';

const allPages = 0x3f;

const savingNotSupported = () =>
  checkCondition(Requirements.modePage, { key: 0x5, asc: 0x39, ascq: 0x00 }, (state) => {
    state.choices.savedPages = known(false);
  });

/** The header's fields, SPC-5 7.5.5 (6- and 10-byte forms), SBC-4 6.5.1 (device-specific parameter); undefined when cut short. */
const headerOf = (data: Buffer, ten: boolean) => {
  if (data.length < (ten ? 8 : 4)) return undefined;
  return ten
    ? { length: 8, modeDataLength: data.readUInt16BE(0) + 2, mediumType: data[2], deviceSpecific: data[3], longLba: (data[4] & 1) === 1, descriptorLength: data.readUInt16BE(6) }
    : { length: 4, modeDataLength: data[0] + 1, mediumType: data[1], deviceSpecific: data[2], longLba: false, descriptorLength: data[3] };
};

/** What the returned mode parameter data must say of the medium, and of the pages the device answered before. */
const modeDataProblems = (context: CommandContext, ten: boolean, pageControl: number, pageCode: number) => (data: Buffer): string[] => {
  const header = headerOf(data, ten);
  if (!header) return [];
  const problems: string[] = [];
  const state = context.state;
  if (header.mediumType !== 0) problems.push(`MEDIUM TYPE is ${header.mediumType}, not 00h`);
  if (header.deviceSpecific & 0x80) problems.push('WP is set, yet the medium takes writes');
  if (context.flag('dbd') && header.descriptorLength !== 0) problems.push(`DBD is set, yet BLOCK DESCRIPTOR LENGTH is ${header.descriptorLength}`);
  const descriptorSize = header.longLba ? 16 : 8;
  if (header.descriptorLength % descriptorSize !== 0) problems.push(`BLOCK DESCRIPTOR LENGTH ${header.descriptorLength} is not a multiple of ${descriptorSize}`);
  if (header.descriptorLength >= descriptorSize && data.length >= header.length + descriptorSize && pageControl !== PageControl.changeable) {
    const at = header.length;
    const blocks = header.longLba ? data.readBigUInt64BE(at) : BigInt(data.readUInt32BE(at));
    const blockLength = header.longLba ? data.readUInt32BE(at + 12) : data.readUIntBE(at + 5, 3);
    if (blockLength !== state.blockBytes) problems.push(`the block descriptor's LOGICAL BLOCK LENGTH is ${blockLength}, not ${state.blockBytes}`);
    const capacity = BigInt(state.blocks);
    const fits = header.longLba || capacity <= 0xffffffffn ? capacity : 0xffffffffn;
    if (blocks !== fits && blocks !== 0n) problems.push(`the block descriptor's NUMBER OF LOGICAL BLOCKS is ${blocks}, not ${fits}`);
  }
  const end = Math.min(data.length, header.modeDataLength);
  const pages = pagesIn(data, header.length + header.descriptorLength, end);
  if (pageCode !== allPages && pages.length > 0 && pages[0].pageCode !== pageCode) problems.push(`the page returned is ${pages[0].pageCode.toString(16)}h, not the ${pageCode.toString(16)}h asked for`);
  for (const page of pages.filter((candidate) => !candidate.truncated)) {
    const key = valuesKey(page.pageCode, page.subpageCode, pageControl);
    problems.push(...inconsistency(state.choices.modePages.get(key), withoutPs(page.bytes), `mode page ${pageKeyOf(page.pageCode, page.subpageCode)} (PC ${pageControl})`));
  }
  return problems;
};

const recordPages = (ten: boolean, pageControl: number) => (state: DeviceState, data: Buffer | undefined): void => {
  const header = data && headerOf(data, ten);
  if (!data || !header) return;
  if (pageControl === PageControl.saved) state.choices.savedPages = known(true);
  for (const page of pagesIn(data, header.length + header.descriptorLength, Math.min(data.length, header.modeDataLength)).filter((candidate) => !candidate.truncated)) {
    state.choices.modePages.set(valuesKey(page.pageCode, page.subpageCode, pageControl), withoutPs(page.bytes));
    state.choices.absentModePages.delete(pageKeyOf(page.pageCode, page.subpageCode));
  }
};

/**
 * MODE SENSE (6/10), SPC-5 6.14-6.15: the header, the block descriptor (none with DBD) describing the
 * medium, and the page asked for, or all of them (3Fh). Which pages exist and their values are the
 * device's; a page it does not implement, or saved values where it cannot save, are rejected.
 */
export const modeSenseAnswer = (context: CommandContext): ModelAnswer => {
  const ten = context.layout.length === 10;
  const pageControl = context.number('pageControl');
  const pageCode = context.number('pageCode');
  const subpageCode = context.number('subpageCode');
  const allocation = context.number('allocationLength');
  const state = context.state;
  let answer = completes({
    transfer: ten ? selfDescribedTransfer(allocation, 2, (data) => data.readUInt16BE(0) + 2) : selfDescribedTransfer(allocation, 1, (data) => data[0] + 1),
    data: { kind: 'structure', requirement: Requirements.modeData, problems: modeDataProblems(context, ten, pageControl, pageCode) },
    effect: recordPages(ten, pageControl),
  });
  if (pageControl === PageControl.saved) {
    if (state.choices.savedPages.known && !state.choices.savedPages.value) return rejects(savingNotSupported());
    if (!state.choices.savedPages.known) answer = permitting(answer, savingNotSupported());
  }
  const pageKey = pageKeyOf(pageCode, subpageCode);
  const absent = invalidFieldInCdb(Requirements.modePage, 2, 3);
  if (pageCode === allPages && (subpageCode === 0x00 || subpageCode === 0xff)) return subpageCode === 0xff ? permitting(answer, absent) : answer;
  if (state.choices.absentModePages.has(pageKey)) return rejects(absent);
  const present = [...state.choices.modePages.keys()].some((key) => key.startsWith(`${pageKey}/`));
  if (present) return answer;
  return permitting(answer, { ...absent, effect: (after) => after.choices.absentModePages.add(pageKey) });
};
