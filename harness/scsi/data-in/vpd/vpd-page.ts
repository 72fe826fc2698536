import { DecodeNotes, notesEntries } from '../../_internals/decode-notes';
import { hex } from '../../_internals/hex';
import { TextEntry, keyValueText } from '../../_internals/key-value-text';
import { number } from '../../layout/field';
import { wholeBytes } from '../../layout/field-place';
import { FieldValues, Fields, readRecord, recordEntries } from '../../layout/record';
import { peripheralFields } from '../peripheral';
import { vpdPageNames } from './vpd-page-names';

/** The four bytes every VPD page starts with (SPC-5). */
const vpdHeaderFields = {
  ...peripheralFields,
  pageCode: number('PAGE CODE', wholeBytes(1, 1), { names: vpdPageNames }),
  pageLength: number('PAGE LENGTH', wholeBytes(2, 2)),
};

export type VpdHeader = FieldValues<typeof vpdHeaderFields>;

export interface VpdPageFrame extends DecodeNotes {
  readonly header: VpdHeader;
  /** The page's bytes up to where PAGE LENGTH ends it, or as many as came; offsets as in the standard. */
  readonly page: Buffer;
}

/** Splits off the header and checks it is the page expected, of the length the standard gives it (if fixed). */
export const frameVpdPage = (bytes: Uint8Array, pageCode: number, standardPageLength?: number): VpdPageFrame => {
  const header = readRecord(vpdHeaderFields, bytes);
  const problems: string[] = [];
  if (bytes.length >= 2 && header.pageCode !== pageCode) problems.push(`PAGE CODE is ${hex(header.pageCode)}, not ${hex(pageCode)}`);
  if (bytes.length >= 4 && standardPageLength !== undefined && header.pageLength !== standardPageLength) {
    problems.push(`PAGE LENGTH is ${hex(header.pageLength, 4)}; the standard gives this page ${hex(standardPageLength, 4)}`);
  }
  const end = 4 + header.pageLength;
  return { header, page: Buffer.from(bytes.subarray(0, end)), truncated: bytes.length < Math.max(4, end), problems };
};

const vpdPageTitle = (pageCode: number): string => `VPD page ${hex(pageCode)} (${vpdPageNames[pageCode] ?? 'unknown'})`;

/** The title, the header's entries, the page's own entries, then truncation and problems. */
export const describeVpdPage = (header: VpdHeader, entries: readonly TextEntry[], notes: DecodeNotes): string =>
  keyValueText(vpdPageTitle(header.pageCode), [...recordEntries(vpdHeaderFields, header), ...entries, ...notesEntries(notes)]);

/** A page that is a fixed table of fields after its header: block limits, block device characteristics, … */
export const fixedVpdPage = <K extends string, Fs extends Fields>(kind: K, pageCode: number, pageLength: number, fields: Fs) => {
  const decode = (bytes: Uint8Array) => {
    const frame = frameVpdPage(bytes, pageCode, pageLength);
    return { kind, header: frame.header, ...readRecord(fields, frame.page), truncated: frame.truncated, problems: frame.problems };
  };
  const describe = (page: ReturnType<typeof decode>): string => describeVpdPage(page.header, recordEntries(fields, page), page);
  return { decode, describe };
};
