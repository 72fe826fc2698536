import { hex } from '../../_internals/hex';
import { Fields, FieldInputs, FieldValues, readRecord, writeRecord } from '../../layout/record';

/** One page of mode parameter data as it came: its header and its bytes (SPC-5). */
export interface ModePageFrame {
  readonly pageCode: number;
  /** Zero for pages in page_0 format. */
  readonly subpageCode: number;
  /** SPF: the page is in sub_page format, with a two-byte PAGE LENGTH. */
  readonly spf: boolean;
  /** PS: the page can be saved. */
  readonly ps: boolean;
  readonly pageLength: number;
  /** The whole page, header included, as many bytes as came: field offsets count from its first byte. */
  readonly bytes: Buffer;
}

const modePageHeaderLength = (firstByte: number): number => (firstByte & 0x40 ? 4 : 2);

/** The page at the start of `bytes`; undefined when not even its header is there. */
export const frameModePage = (bytes: Uint8Array): ModePageFrame | undefined => {
  if (bytes.length < 1 || bytes.length < modePageHeaderLength(bytes[0])) return undefined;
  const spf = (bytes[0] & 0x40) !== 0;
  const pageLength = spf ? (bytes[2] << 8) | bytes[3] : bytes[1];
  return {
    pageCode: bytes[0] & 0x3f,
    subpageCode: spf ? bytes[1] : 0,
    spf,
    ps: (bytes[0] & 0x80) !== 0,
    pageLength,
    bytes: Buffer.from(bytes.subarray(0, (spf ? 4 : 2) + pageLength)),
  };
};

export interface ModePageInput {
  readonly pageCode: number;
  /** A nonzero subpage puts the page in sub_page format. */
  readonly subpageCode?: number;
  /** Reserved in MODE SELECT parameter data; settable to test that a device rejects it. */
  readonly ps?: boolean;
  /** The bytes after the page header. */
  readonly parameters: Uint8Array;
}

/** A mode page's bytes: its header in page_0 or sub_page format, then the parameters. */
export const modePage = ({ pageCode, subpageCode = 0, ps = false, parameters }: ModePageInput): Buffer => {
  const spf = subpageCode !== 0;
  const header = spf
    ? [(ps ? 0x80 : 0) | 0x40 | pageCode, subpageCode, parameters.length >> 8, parameters.length & 0xff]
    : [(ps ? 0x80 : 0) | pageCode, parameters.length];
  if (pageCode > 0x3f || subpageCode > 0xff || parameters.length > (spf ? 0xffff : 0xff)) {
    throw new RangeError(`mode page ${hex(pageCode)}/${hex(subpageCode)} with ${parameters.length} parameter bytes does not fit its header`);
  }
  return Buffer.concat([Buffer.from(header), parameters]);
};

/** A page whose parameters the standard lays out field by field, in page_0 format. */
export interface NamedModePage<K extends string, Fs extends Fields> {
  readonly kind: K;
  readonly pageCode: number;
  /** The PAGE LENGTH the standard gives it. */
  readonly pageLength: number;
  readonly fields: Fs;
  /** The whole page, header included, for a MODE SELECT parameter list. */
  encode(inputs: FieldInputs<Fs>): Buffer;
  decode(page: Uint8Array): FieldValues<Fs>;
}

export const namedModePage = <K extends string, Fs extends Fields>(kind: K, pageCode: number, pageLength: number, fields: Fs): NamedModePage<K, Fs> => ({
  kind,
  pageCode,
  pageLength,
  fields,
  encode: (inputs) => {
    const page = modePage({ pageCode, parameters: Buffer.alloc(pageLength) });
    writeRecord(fields, inputs, page);
    return page;
  },
  decode: (page) => readRecord(fields, page),
});
