import { DecodeNotes } from '../../_internals/decode-notes';
import { hex } from '../../_internals/hex';
import { VpdHeader, describeVpdPage, frameVpdPage } from './vpd-page';
import { vpdPageNames } from './vpd-page-names';

/** Supported VPD Pages (SPC-5). */
export interface SupportedVpdPages extends DecodeNotes {
  readonly kind: 'supported VPD pages';
  readonly header: VpdHeader;
  readonly pages: readonly number[];
}

export const decodeSupportedVpdPages = (bytes: Uint8Array): SupportedVpdPages => {
  const frame = frameVpdPage(bytes, 0x00);
  const pages = [...frame.page.subarray(4)];
  const problems = [...frame.problems];
  // SPC-5: the list is in ascending order and names this page too.
  if (pages.some((page, index) => index > 0 && page <= pages[index - 1])) problems.push('the page codes are not in ascending order');
  if (!frame.truncated && !pages.includes(0x00)) problems.push('the list leaves out page 00h itself');
  return { kind: 'supported VPD pages', header: frame.header, pages, truncated: frame.truncated, problems };
};

export const describeSupportedVpdPages = (page: SupportedVpdPages): string =>
  describeVpdPage(page.header, [['pages', page.pages.map((code) => `${hex(code)} (${vpdPageNames[code] ?? 'unknown'})`).join(', ') || 'none']], page);
