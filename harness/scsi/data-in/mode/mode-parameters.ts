import { DecodeNotes, notesEntries } from '../../_internals/decode-notes';
import { hex, hexBytes } from '../../_internals/hex';
import { TextEntry, keyValueText } from '../../_internals/key-value-text';
import { flag, number } from '../../layout/field';
import { wholeBytes } from '../../layout/field-place';
import { FieldValues, readRecord, recordEntries } from '../../layout/record';
import { cachingPage } from './caching-page';
import { controlPage } from './control-page';
import { ModePageFrame, frameModePage } from './mode-page';
import { modePageNames } from './mode-page-names';
import { readWriteErrorRecoveryPage } from './read-write-error-recovery-page';

// Mode parameter data (SPC-5 to 7.5.6), with the direct access device's block descriptors and
// device-specific parameter (SBC-4).

const deviceSpecific = (byte: number) => ({ writeProtect: flag('WP', byte, 7), dpofua: flag('DPOFUA', byte, 4) });

const header6Fields = {
  modeDataLength: number('MODE DATA LENGTH', wholeBytes(0, 1)),
  mediumType: number('MEDIUM TYPE', wholeBytes(1, 1), { notation: 'hex' }),
  ...deviceSpecific(2),
  blockDescriptorLength: number('BLOCK DESCRIPTOR LENGTH', wholeBytes(3, 1)),
};

const header10Fields = {
  modeDataLength: number('MODE DATA LENGTH', wholeBytes(0, 2)),
  mediumType: number('MEDIUM TYPE', wholeBytes(2, 1), { notation: 'hex' }),
  ...deviceSpecific(3),
  longLba: flag('LONGLBA', 4, 0),
  blockDescriptorLength: number('BLOCK DESCRIPTOR LENGTH', wholeBytes(6, 2)),
};

export type ModeParameterHeader = FieldValues<typeof header10Fields>;

/** A block descriptor, short (8 bytes) or long LBA (16 bytes): how many blocks of what size. */
export interface BlockDescriptor {
  readonly blocks: bigint;
  readonly blockLength: number;
}

const namedPages = [cachingPage, controlPage, readWriteErrorRecoveryPage];

export type NamedModePageValues =
  | ({ readonly kind: 'caching' } & FieldValues<typeof cachingPage.fields>)
  | ({ readonly kind: 'control' } & FieldValues<typeof controlPage.fields>)
  | ({ readonly kind: 'read-write error recovery' } & FieldValues<typeof readWriteErrorRecoveryPage.fields>);

export interface ModePage extends ModePageFrame {
  /** The page's fields by name, for the pages this layer lays out (caching, control, read-write error recovery). */
  readonly named: NamedModePageValues | undefined;
}

export interface ModeParameters extends DecodeNotes {
  /** Which MODE SENSE the data answers, since the header differs. */
  readonly commandLength: 6 | 10;
  readonly header: ModeParameterHeader;
  readonly blockDescriptors: readonly BlockDescriptor[];
  readonly pages: readonly ModePage[];
}

const readBlockDescriptor = (bytes: Uint8Array, long: boolean): BlockDescriptor => {
  const view = Buffer.alloc(long ? 16 : 8);
  view.set(bytes.subarray(0, view.length));
  return long
    ? { blocks: view.readBigUInt64BE(0), blockLength: view.readUInt32BE(12) }
    : { blocks: BigInt(view.readUInt32BE(0)), blockLength: view.readUIntBE(5, 3) };
};

const namedValues = (frame: ModePageFrame): NamedModePageValues | undefined => {
  const page = frame.subpageCode === 0 ? namedPages.find((named) => named.pageCode === frame.pageCode) : undefined;
  return page ? ({ kind: page.kind, ...page.decode(frame.bytes) } as NamedModePageValues) : undefined;
};

const pageProblems = (frame: ModePageFrame): string[] => {
  const problems: string[] = [];
  // SPC-5: subpage 00h is always in page_0 format.
  if (frame.spf && frame.subpageCode === 0) problems.push(`page ${hex(frame.pageCode)} is in sub_page format with subpage 00h`);
  const named = frame.subpageCode === 0 ? namedPages.find((page) => page.pageCode === frame.pageCode) : undefined;
  if (named && frame.pageLength !== named.pageLength) {
    problems.push(`${named.kind} page has PAGE LENGTH ${hex(frame.pageLength)}; the standard gives it ${hex(named.pageLength)}`);
  }
  return problems;
};

/** SPC-5: pages come in ascending page (and subpage) code order, but page 00h comes last. */
const orderProblems = (pages: readonly ModePage[]): string[] => {
  const rank = (page: ModePage): number => (page.pageCode === 0 ? 0x40 : page.pageCode) * 0x100 + page.subpageCode;
  const outOfOrder = pages.findIndex((page, index) => index > 0 && rank(page) <= rank(pages[index - 1]));
  if (outOfOrder < 0) return [];
  return [`${pageTitle(pages[outOfOrder])} comes after ${pageTitle(pages[outOfOrder - 1])}: pages go in ascending order, page 00h last`];
};

const decodeModeParameters = (bytes: Uint8Array, commandLength: 6 | 10): ModeParameters => {
  const headerLength = commandLength === 6 ? 4 : 8;
  const header: ModeParameterHeader =
    commandLength === 6 ? { ...readRecord(header6Fields, bytes), longLba: false } : readRecord(header10Fields, bytes);
  // MODE DATA LENGTH counts the bytes after itself.
  const end = header.modeDataLength + (commandLength === 6 ? 1 : 2);
  const problems: string[] = [];
  let truncated = bytes.length < Math.max(headerLength, end);
  const descriptorLength = header.longLba ? 16 : 8;
  if (header.blockDescriptorLength % descriptorLength !== 0) {
    problems.push(`BLOCK DESCRIPTOR LENGTH ${header.blockDescriptorLength} is not a multiple of ${descriptorLength}`);
  }
  const pagesStart = headerLength + header.blockDescriptorLength;
  if (bytes.length >= headerLength && end < pagesStart) problems.push(`MODE DATA LENGTH ${header.modeDataLength} ends inside the block descriptors`);
  const blockDescriptors: BlockDescriptor[] = [];
  for (let offset = headerLength; offset + descriptorLength <= Math.min(pagesStart, bytes.length); offset += descriptorLength) {
    blockDescriptors.push(readBlockDescriptor(bytes.subarray(offset), header.longLba));
  }
  const pages: ModePage[] = [];
  const pagesEnd = Math.min(end, bytes.length);
  for (let offset = pagesStart; offset < pagesEnd; ) {
    const frame = frameModePage(bytes.subarray(offset, pagesEnd));
    if (!frame) {
      truncated = true;
      break;
    }
    const pageEnd = offset + (frame.spf ? 4 : 2) + frame.pageLength;
    if (pageEnd > end) problems.push(`page ${hex(frame.pageCode)} runs past MODE DATA LENGTH`);
    else if (pageEnd > bytes.length) truncated = true;
    problems.push(...pageProblems(frame));
    pages.push({ ...frame, named: namedValues(frame) });
    offset = pageEnd;
  }
  return { commandLength, header, blockDescriptors, pages, truncated, problems: [...problems, ...orderProblems(pages)] };
};

/** MODE SENSE (6) parameter data: a 4-byte header, short block descriptors, pages. */
export const decodeModeParameters6 = (bytes: Uint8Array): ModeParameters => decodeModeParameters(bytes, 6);

/** MODE SENSE (10) parameter data: an 8-byte header, short or (LONGLBA) long block descriptors, pages. */
export const decodeModeParameters10 = (bytes: Uint8Array): ModeParameters => decodeModeParameters(bytes, 10);

const pageTitle = (page: ModePage): string => {
  const code = page.subpageCode === 0 ? hex(page.pageCode) : `${hex(page.pageCode)}/${hex(page.subpageCode)}`;
  const name = page.subpageCode === 0 ? modePageNames[page.pageCode] : undefined;
  return `page ${code}${name ? ` (${name})` : ''}`;
};

const pageEntries = (page: ModePage): TextEntry[] => {
  const saveable: TextEntry = ['PS', page.ps ? '1' : '0'];
  if (!page.named) return [saveable, ['parameters', hexBytes(page.bytes.subarray(page.spf ? 4 : 2)) || 'none']];
  const named = namedPages.find((candidate) => candidate.kind === page.named?.kind);
  return named ? [saveable, ...recordEntries(named.fields, page.named as never)] : [saveable];
};

export const describeModeParameters = (parameters: ModeParameters): string =>
  keyValueText(`mode parameters (MODE SENSE (${parameters.commandLength}))`, [
    ...recordEntries(parameters.commandLength === 6 ? header6Fields : header10Fields, parameters.header),
    ...parameters.blockDescriptors.map((descriptor, index): TextEntry => [
      `block descriptor ${index + 1}`,
      `${descriptor.blocks} blocks of ${descriptor.blockLength} bytes`,
    ]),
    ...parameters.pages.map((page): TextEntry => [pageTitle(page), pageEntries(page)]),
    ...notesEntries(parameters),
  ]);
