import { CommandContext } from '../command-context';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, rejects } from '../model-answer';
import { Requirements } from '../requirement';
import { inconsistency, recordLongest, selfDescribedTransfer } from './self-described';

const pageKey = (pageCode: number): string => pageCode.toString(16).padStart(2, '0');

/** The pages Supported VPD Pages listed, once the device returned it. */
const listedPages = (context: CommandContext): number[] | undefined => {
  const list = context.state.choices.inquiry.get('00');
  return list && list.length >= 4 ? [...list.subarray(4, 4 + list.readUInt16BE(2))] : undefined;
};

/** Standard INQUIRY data, SPC-5 6.7.2: a direct-access device (qualifier 000b, type 00h), response format 2, at least 36 bytes. */
const standardProblems = (data: Buffer): string[] => {
  const problems: string[] = [];
  if (data.length >= 1 && data[0] !== 0x00) problems.push(`PERIPHERAL QUALIFIER and DEVICE TYPE are ${data[0]}, not a connected direct-access device (00h)`);
  if (data.length >= 4 && (data[3] & 0x0f) !== 2) problems.push(`RESPONSE DATA FORMAT is ${data[3] & 0x0f}, not 2`);
  if (data.length >= 5 && data[4] < 31) problems.push(`ADDITIONAL LENGTH ${data[4]} makes the data shorter than 36 bytes`);
  return problems;
};

/** A VPD page's header, SPC-5 7.7.1: the device's qualifier and type, then the page code asked for. */
const vpdProblems = (pageCode: number) => (data: Buffer): string[] => {
  const problems: string[] = [];
  if (data.length >= 1 && data[0] !== 0x00) problems.push(`PERIPHERAL QUALIFIER and DEVICE TYPE are ${data[0]}, not 00h`);
  if (data.length >= 2 && data[1] !== pageCode) problems.push(`PAGE CODE is ${data[1]}, not the ${pageCode} asked for`);
  return problems;
};

/**
 * INQUIRY, SPC-5 6.7: standard data, or (EVPD) the VPD page asked for. PAGE CODE without EVPD is invalid;
 * a page the device does not list in Supported VPD Pages (00h) is invalid, and one it lists must be there.
 * Which pages exist and what they hold is the device's; it must keep to it.
 */
export const inquiryAnswer = (context: CommandContext): ModelAnswer => {
  const evpd = context.flag('evpd');
  const pageCode = context.number('pageCode');
  const allocation = context.number('allocationLength');
  if (!evpd && pageCode !== 0) return rejects(invalidFieldInCdb(Requirements.inquiryPage, 2, 1));
  const key = evpd ? pageKey(pageCode) : 'standard';
  const earlier = context.state.choices.inquiry.get(key);
  const answer = completes({
    transfer: evpd ? selfDescribedTransfer(allocation, 4, (data) => 4 + data.readUInt16BE(2)) : selfDescribedTransfer(allocation, 5, (data) => data[4] + 5),
    data: {
      kind: 'structure',
      requirement: Requirements.inquiryData,
      problems: (data) => [...(evpd ? vpdProblems(pageCode)(data) : standardProblems(data)), ...inconsistency(earlier, data, key === 'standard' ? 'standard INQUIRY data' : `VPD page ${key}h`)],
    },
    effect: (state, data) => recordLongest(state.choices.inquiry, key, data),
  });
  if (!evpd || pageCode === 0x00) return answer;
  const listed = listedPages(context);
  if (listed === undefined) return permitting(answer, invalidFieldInCdb(Requirements.inquiryPage, 2));
  return listed.includes(pageCode) ? answer : rejects(invalidFieldInCdb(Requirements.inquiryPage, 2));
};
