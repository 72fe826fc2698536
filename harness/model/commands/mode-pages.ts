import { DeviceState } from '../device-state';

/** Page control (SPC-5 6.14): current, changeable, default and saved values. */
export const PageControl = { current: 0, changeable: 1, default: 2, saved: 3 } as const;

export const pageKeyOf = (pageCode: number, subpageCode: number): string => `${pageCode.toString(16)}/${subpageCode.toString(16)}`;

/** The key a page's values are recorded under: `<page>/<subpage>/<page control>`. */
export const valuesKey = (pageCode: number, subpageCode: number, pageControl: number): string => `${pageKeyOf(pageCode, subpageCode)}/${pageControl}`;

/** One page as it stands in mode parameter data. */
export interface PageInData {
  readonly offset: number;
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly ps: boolean;
  /** The whole page, header included. */
  readonly bytes: Buffer;
  /** The page runs past the data it came in. */
  readonly truncated: boolean;
}

/** The pages from `start` to `end`, as far as their headers are there. */
export const pagesIn = (data: Buffer, start: number, end: number): PageInData[] => {
  const pages: PageInData[] = [];
  for (let offset = start; offset < end; ) {
    const spf = (data[offset] & 0x40) !== 0;
    const headerLength = spf ? 4 : 2;
    if (offset + headerLength > end) {
      pages.push({ offset, pageCode: data[offset] & 0x3f, subpageCode: 0, ps: false, bytes: data.subarray(offset, end), truncated: true });
      break;
    }
    const length = headerLength + (spf ? data.readUInt16BE(offset + 2) : data[offset + 1]);
    pages.push({
      offset,
      pageCode: data[offset] & 0x3f,
      subpageCode: spf ? data[offset + 1] : 0,
      ps: (data[offset] & 0x80) !== 0,
      bytes: data.subarray(offset, Math.min(end, offset + length)),
      truncated: offset + length > end,
    });
    offset += length;
  }
  return pages;
};

/** A page's bytes as recorded: PS is the device's to report, so it is not part of what must stay the same. */
export const withoutPs = (page: Buffer): Buffer => {
  const copy = Buffer.from(page);
  if (copy.length > 0) copy[0] &= 0x7f;
  return copy;
};

/** Forgets the current values of every page: after a reset or a MODE SELECT the model did not follow. */
export const forgetCurrentValues = (state: DeviceState): void => {
  for (const key of [...state.choices.modePages.keys()]) if (key.endsWith(`/${PageControl.current}`)) state.choices.modePages.delete(key);
};
