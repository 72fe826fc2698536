import { test } from '@fast-check/jest';
import { hexBytes } from '../../../harness/scsi/_internals/hex';
import { cachingPage } from '../../../harness/scsi/data-in/mode/caching-page';
import { controlPage } from '../../../harness/scsi/data-in/mode/control-page';
import { frameModePage, modePage } from '../../../harness/scsi/data-in/mode/mode-page';
import {
  decodeModeParameters10,
  decodeModeParameters6,
  describeModeParameters,
} from '../../../harness/scsi/data-in/mode/mode-parameters';
import { readWriteErrorRecoveryPage } from '../../../harness/scsi/data-in/mode/read-write-error-recovery-page';
import { modeParameterList10, modeParameterList6 } from '../../../harness/scsi/parameters/mode-parameter-list';
import {
  hex,
  qemuModeSense10Caching,
  qemuModeSense6AllPages,
  qemuModeSense6Changeable,
  qemuModeSense6Header,
  tgtdModeSense10Control,
  tgtdModeSense6AllPages,
} from './captured-answers';
import { fieldValuesArbitrary } from './field-arbitraries';

describe('MODE SENSE data', () => {
  it("decodes QEMU's pages: header, one short block descriptor, four pages", () => {
    const data = decodeModeParameters6(qemuModeSense6AllPages);
    expect(data.header).toEqual({ modeDataLength: 99, mediumType: 0, writeProtect: false, dpofua: false, longLba: false, blockDescriptorLength: 8 });
    expect(data.blockDescriptors).toEqual([{ blocks: 16384n, blockLength: 512 }]);
    expect(data.pages.map((page) => [page.pageCode, page.pageLength, page.named?.kind])).toEqual([
      [0x01, 0x0a, 'read-write error recovery'],
      [0x04, 0x16, undefined],
      [0x05, 0x1e, undefined],
      [0x08, 0x12, 'caching'],
    ]);
    expect(data.pages[0].named).toMatchObject({ awre: true, arre: false, readRetryCount: 0 });
    expect(data.pages[3].named).toMatchObject({ wce: true, rcd: false });
    expect(data).toMatchObject({ truncated: false, problems: [] });
  });

  it("says only QEMU's write cache enable can change", () => {
    const caching = decodeModeParameters6(qemuModeSense6Changeable).pages.find((page) => page.pageCode === 0x08);
    expect(caching?.named).toMatchObject({ kind: 'caching', wce: true, rcd: false, demandReadRetentionPriority: 0 });
  });

  it('reads the 10-byte header', () => {
    expect(decodeModeParameters10(qemuModeSense10Caching)).toMatchObject({
      commandLength: 10,
      header: { modeDataLength: 34, longLba: false, blockDescriptorLength: 8 },
      pages: [{ pageCode: 8, named: { wce: true } }],
      problems: [],
    });
  });

  // SPC-5 puts page 00h last; tgtd starts with an empty vendor page 00h. It also answers page 3Fh,
  // subpage 00h with the Control Extension subpage 0Ah/01h, which belongs to requests for subpage FFh.
  it("flags tgtd's page 00h coming first", () => {
    const data = decodeModeParameters6(tgtdModeSense6AllPages);
    expect(data.header).toMatchObject({ dpofua: true, writeProtect: false });
    expect(data.blockDescriptors).toEqual([{ blocks: 0n, blockLength: 512 }]);
    expect(data.pages.map((page) => [page.pageCode, page.subpageCode])).toEqual([
      [0x00, 0],
      [0x02, 0],
      [0x08, 0],
      [0x0a, 0],
      [0x0a, 1],
      [0x1c, 0],
    ]);
    expect(data.problems).toEqual(['page 02h (disconnect-reconnect) comes after page 00h: pages go in ascending order, page 00h last']);
  });

  it("decodes tgtd's control page", () => {
    expect(decodeModeParameters10(tgtdModeSense10Control).pages[0].named).toMatchObject({
      kind: 'control',
      gltsd: true,
      dSense: false,
      queueAlgorithmModifier: 1,
      extendedSelfTestCompletionTime: 512,
    });
  });

  it('decodes a 4-byte answer as a header and says the rest is missing', () => {
    expect(decodeModeParameters6(qemuModeSense6Header)).toMatchObject({ blockDescriptors: [], pages: [], truncated: true, problems: [] });
  });

  it('flags a page length other than the standard one and a page past MODE DATA LENGTH', () => {
    expect(decodeModeParameters6(hex('0b 00 00 00 08 08 04 00 00 00 00 00')).problems).toEqual([
      'page 08h runs past MODE DATA LENGTH',
      'caching page has PAGE LENGTH 08h; the standard gives it 12h',
    ]);
  });

  it('prints pages it knows field by field and the others in hex', () => {
    const text = describeModeParameters(decodeModeParameters6(qemuModeSense6AllPages));
    expect(text).toContain('  block descriptor 1: 16384 blocks of 512 bytes\n');
    expect(text).toContain('  page 04h (rigid disk geometry (obsolete)):\n    PS: 0\n    parameters: 00 00 10 10');
    expect(text).toContain('  page 08h (caching):\n    PS: 0\n');
    expect(text).toContain('    flags set: WCE');
  });
});

describe('mode pages', () => {
  it('frames page_0 and sub_page format headers', () => {
    expect(frameModePage(hex('88 02 04 00'))).toMatchObject({ pageCode: 8, subpageCode: 0, spf: false, ps: true, pageLength: 2 });
    expect(frameModePage(hex('4a 01 00 02 04 00'))).toMatchObject({ pageCode: 0x0a, subpageCode: 1, spf: true, pageLength: 2 });
    expect(frameModePage(hex('4a 01'))).toBeUndefined();
  });

  it('encodes a page in either format', () => {
    expect(hexBytes(modePage({ pageCode: 0x1c, parameters: hex('08 00') }))).toBe('1c 02 08 00');
    expect(hexBytes(modePage({ pageCode: 0x0a, subpageCode: 1, parameters: hex('04') }))).toBe('4a 01 00 01 04');
  });

  it('encodes the caching page with only WCE set, as a MODE SELECT would send it', () => {
    expect(hexBytes(cachingPage.encode({ wce: true }))).toBe('08 12 04 ' + Array(17).fill('00').join(' '));
  });

  it('encodes the control page with D_SENSE set', () => {
    expect(hexBytes(controlPage.encode({ dSense: true }))).toBe('0a 0a 04 00 00 00 00 00 00 00 00 00');
  });

  describe.each([cachingPage, controlPage, readWriteErrorRecoveryPage].map((page) => [page.kind, page] as const))('the %s page', (_, page) => {
    test.prop([fieldValuesArbitrary(page.fields)])('decodes what it encodes', (values) => {
      const bytes = page.encode(values as never);
      expect(bytes).toHaveLength(2 + page.pageLength);
      expect(page.decode(bytes)).toEqual(values);
    });
  });
});

describe('MODE SELECT parameter lists', () => {
  it('builds a 6-byte list: header, short block descriptor, caching page', () => {
    const list = modeParameterList6({ blockDescriptor: { blocks: 16384, blockLength: 512 }, pages: [cachingPage.encode({ wce: true })] });
    expect(hexBytes(list.subarray(0, 15))).toBe('00 00 00 08 00 00 40 00 00 00 02 00 08 12 04');
    expect(list).toHaveLength(4 + 8 + 20);
  });

  it('builds a 10-byte list with a long LBA block descriptor', () => {
    const list = modeParameterList10({ longLba: true, blockDescriptor: { blocks: 2n ** 33n, blockLength: 4096 }, pages: [controlPage.encode({ dSense: true })] });
    expect(hexBytes(list.subarray(0, 24))).toBe('00 00 00 00 01 00 00 10 00 00 00 02 00 00 00 00 00 00 00 00 00 00 10 00');
  });

  it('builds lists the MODE SENSE decoder reads back, once MODE DATA LENGTH is filled in', () => {
    const list = modeParameterList10({ blockDescriptor: { blocks: 100, blockLength: 520 }, pages: [readWriteErrorRecoveryPage.encode({ awre: true, readRetryCount: 5 })] });
    list.writeUInt16BE(list.length - 2, 0);
    expect(decodeModeParameters10(list)).toMatchObject({
      blockDescriptors: [{ blocks: 100n, blockLength: 520 }],
      pages: [{ pageCode: 1, named: { awre: true, readRetryCount: 5 } }],
      problems: [],
    });
  });

  it('builds a list with no block descriptor and no page', () => {
    expect(hexBytes(modeParameterList6({}))).toBe('00 00 00 00');
  });
});
