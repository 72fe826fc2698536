import { defaultCasePaths } from '../../../harness/case/case-paths';
import { Case } from '../../../harness/case/case-types';
import { DEFAULT_MAX_BUFFER_BYTES, parseCase, ParseCaseOptions } from '../../../harness/case/parse-case';
import { UserError } from '../../../harness/errors/user-error';
import { PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';

const EXAMPLE = `{
  "format": "hbadiff-case/1",
  "paths": ["megasas:scsi-hd", "virtio-scsi:scsi-hd"],
  "steps": [
    { "cdb": "12 00 00 00 24 00", "dir": "from-device", "length": 255 },
    { "cdb": "2a 00 00 00 00 10 00 00 01 00", "dir": "to-device", "length": 512, "data": "a5*512" },
    { "reset": "device" }
  ]
}`;

const pathIds = (...paths: string[]): PathId[] => paths as PathId[];

const INQUIRY = { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 };

/** A case file's text: a valid one-step case with `fields` laid over it. */
const caseText = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ format: 'hbadiff-case/1', steps: [INQUIRY], ...fields });

const stepText = (...steps: unknown[]): string => caseText({ steps });

const messageOf = (text: string, options?: ParseCaseOptions): string => {
  try {
    parseCase(text, 'case.json', options);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.exitCode).toBe(2);
    return error.message;
  }
  throw new Error('the case parsed');
};

describe('parseCase', () => {
  it('parses the documented example to domain values', () => {
    expect(parseCase(EXAMPLE, 'case.json')).toStrictEqual<Case>({
      paths: pathIds('megasas:scsi-hd', 'virtio-scsi:scsi-hd'),
      steps: [
        {
          kind: 'command',
          command: { cdb: cdb([0x12, 0, 0, 0, 0x24, 0]), direction: 'from-device', length: 255 },
        },
        {
          kind: 'command',
          command: {
            cdb: cdb([0x2a, 0, 0, 0, 0, 0x10, 0, 0, 1, 0]),
            direction: 'to-device',
            length: 512,
            dataOut: Buffer.alloc(512, 0xa5),
          },
        },
        { kind: 'reset', reset: 'device' },
      ],
    });
  });

  it('keeps the optional fields', () => {
    const parsed = parseCase(
      caseText({
        paths: ['lsi53c895a:scsi-block', 'virtio-scsi:scsi-hd', 'lsi53c895a:scsi-block#2'],
        disk: { bytes: 1048576, content: 'zero' },
        provenance: { seed: -42, fastCheckPath: '3:1', qemuVersion: '9.2.0', createdAt: '2026-01-01T00:00:00Z' },
        steps: [
          { cdb: '00 00 00 00 00 00', dir: 'none', timeoutMs: 5000, expect: { status: 'GOOD' } },
          { reset: 'bus', path: 'lsi53c895a:scsi-block#2', expect: {} },
        ],
      }),
      'case.json',
    );
    expect(parsed).toStrictEqual<Case>({
      paths: pathIds('lsi53c895a:scsi-block', 'virtio-scsi:scsi-hd', 'lsi53c895a:scsi-block#2'),
      disk: { bytes: 1048576, content: 'zero' },
      provenance: { seed: -42, fastCheckPath: '3:1', qemuVersion: '9.2.0', createdAt: '2026-01-01T00:00:00Z' },
      steps: [
        {
          kind: 'command',
          command: { cdb: cdb([0, 0, 0, 0, 0, 0]), direction: 'none', length: 0 },
          timeoutMs: 5000,
          expect: { status: 'GOOD' },
        },
        { kind: 'reset', reset: 'bus', path: pathIds('lsi53c895a:scsi-block#2')[0], expect: {} },
      ],
    });
  });

  it("accepts any of a topology's paths, a repeat without its first use among them", () => {
    const parsed = parseCase(caseText({ paths: ['megasas:scsi-hd#2', 'virtio-scsi:scsi-block#12'] }), 'case.json');
    expect(parsed.paths).toEqual(['megasas:scsi-hd#2', 'virtio-scsi:scsi-block#12']);
  });

  it('leaves paths absent for the default topology, and checks resets against its paths', () => {
    const parsed = parseCase(stepText({ reset: 'target', path: defaultCasePaths[1] }), 'case.json');
    expect(parsed.paths).toBeUndefined();
    expect(parsed.steps).toEqual([{ kind: 'reset', reset: 'target', path: 'megasas:scsi-block' }]);
  });

  it('lets a path carry the CDB its HBA carries: 32 bytes on virtio-scsi alone', () => {
    const step = { cdb: '7f'.padEnd(95, ' 00'), dir: 'none' };
    expect(() => parseCase(caseText({ paths: ['virtio-scsi:scsi-block'], steps: [step] }), 'c.json')).not.toThrow();
  });

  it('skips a byte order mark', () => {
    expect(parseCase(`\uFEFF${EXAMPLE}`, 'case.json').steps).toHaveLength(3);
  });

  it('allows a length of up to the maximum, and a larger maximum when asked', () => {
    const step = (length: number) => stepText({ cdb: '28 00 00 00 00 00 00 00 01 00', dir: 'from-device', length });
    expect(() => parseCase(step(DEFAULT_MAX_BUFFER_BYTES), 'case.json')).not.toThrow();
    expect(() => parseCase(step(DEFAULT_MAX_BUFFER_BYTES + 1), 'case.json', { maxBufferBytes: 1 << 30 })).not.toThrow();
  });
});

describe('a malformed case gives one line naming the file and the field', () => {
  const write10 = '2a 00 00 00 00 10 00 00 01 00';
  it.each<[string, string, string]>([
    [
      'bad JSON',
      '{\n  "format": "hbadiff-case/1",\n  "steps": [}\n',
      'case.json:3:13: invalid JSON: expected a JSON value, found "}"',
    ],
    [
      'a missing comma',
      '{"format": "hbadiff-case/1"\n "steps": []}',
      `case.json:2:2: invalid JSON: expected ',' or '}' after a property value, found "\\""`,
    ],
    ['an unclosed string', '{"format": "hbadi', 'case.json:1:12: invalid JSON: string never closed'],
    ['an empty file', '', 'case.json:1:1: invalid JSON: expected a JSON value, found the end of the text'],
    [
      'trailing text',
      '{"format": "hbadiff-case/1"} x',
      'case.json:1:30: invalid JSON: unexpected text after the JSON value, found "x"',
    ],
    ['a JSON array', '[]', 'case.json: must be a JSON object with "format": "hbadiff-case/1", not an array'],
    ['no format', '{"steps": []}', 'case.json: format: required but missing; write "hbadiff-case/1"'],
    [
      'an unknown format version',
      caseText({ format: 'hbadiff-case/2' }),
      'case.json: format: unknown format "hbadiff-case/2"; this hbadiff reads hbadiff-case/1',
    ],
    ['a format that is no string', caseText({ format: 1 }), 'case.json: format: must be "hbadiff-case/1", not 1'],
    [
      'an unknown top-level field',
      caseText({ path: [] }),
      'case.json: path: unknown field; expected one of format, paths, disk, provenance, steps',
    ],
    [
      'an unknown step field',
      stepText({ ...INQUIRY, lenght: 36, length: undefined }),
      'case.json: steps[0].lenght: unknown field; expected one of cdb, dir, length, data, timeoutMs, queued, expect',
    ],
    [
      'an unknown reset field',
      stepText({ reset: 'bus', cdb: '00' }),
      'case.json: steps[0].cdb: unknown field; expected one of reset, path, queued, expect',
    ],
    [
      'an unknown provenance field',
      caseText({ provenance: { sed: 1 } }),
      'case.json: provenance.sed: unknown field; expected one of seed, fastCheckPath, qemuVersion, baselineQemuVersion, harnessVersion, signature, createdAt, note',
    ],
    [
      'an oddly named unknown field',
      caseText({ 'a b': 1 }),
      'case.json: ["a b"]: unknown field; expected one of format, paths, disk, provenance, steps',
    ],
    ['no steps', caseText({ steps: undefined }), 'case.json: steps: required but missing'],
    ['empty steps', caseText({ steps: [] }), 'case.json: steps: must not be empty'],
    ['a step that is no object', stepText(INQUIRY, 5), 'case.json: steps[1]: must be an object, not 5'],
    ['empty paths', caseText({ paths: [] }), 'case.json: paths: must not be empty'],
    [
      'a path without a disk',
      caseText({ paths: ['megasas'] }),
      'case.json: paths[0]: must be <hba>:<disk>, e.g. megasas:scsi-hd, not "megasas"',
    ],
    [
      'an unknown HBA',
      caseText({ paths: ['megasas:scsi-hd', 'ahci:scsi-hd'] }),
      'case.json: paths[1]: unknown HBA "ahci"; known: megasas, megasas-gen2, virtio-scsi, virtio-scsi-iothread, mptsas1068, lsi53c895a, pvscsi, lsi53c810, am53c974, dc390, usb-uas, usb-bot',
    ],
    [
      'an unknown disk',
      caseText({ paths: ['pvscsi:scsi-cd'] }),
      'case.json: paths[0]: unknown disk "scsi-cd"; known: scsi-hd, scsi-block',
    ],
    [
      'a path listed twice',
      caseText({ paths: ['pvscsi:scsi-hd', 'megasas:scsi-hd', 'pvscsi:scsi-hd'] }),
      'case.json: paths[2]: "pvscsi:scsi-hd" is already paths[0]',
    ],
    [
      'a first use numbered',
      caseText({ paths: ['pvscsi:scsi-hd#1'] }),
      'case.json: paths[0]: "pvscsi:scsi-hd#1": a repeated pair is numbered #2, #3…, and its first use has no number',
    ],
    [
      'a repeat number with a leading zero',
      caseText({ paths: ['pvscsi:scsi-hd#02'] }),
      'case.json: paths[0]: "pvscsi:scsi-hd#02": a repeated pair is numbered #2, #3…, and its first use has no number',
    ],
    [
      'a repeat without a number',
      caseText({ paths: ['pvscsi:scsi-hd#'] }),
      'case.json: paths[0]: "pvscsi:scsi-hd#": a repeated pair is numbered #2, #3…, and its first use has no number',
    ],
    [
      'a CDB with an odd number of digits',
      stepText({ ...INQUIRY, cdb: '12 00 00 00 24 0' }),
      'case.json: steps[0].cdb: odd number of hex digits in "0"',
    ],
    [
      'a CDB with a non-hex character',
      stepText({ ...INQUIRY, cdb: '12 00 00 00 24 0x' }),
      'case.json: steps[0].cdb: "x" is not a hex digit',
    ],
    ['an empty CDB', stepText({ ...INQUIRY, cdb: ' ' }), 'case.json: steps[0].cdb: empty; a CDB has at least 1 byte'],
    [
      'a CDB longer than megasas carries',
      stepText({ ...INQUIRY, cdb: '00'.repeat(17) }),
      'case.json: steps[0].cdb: 17 bytes, but megasas:scsi-hd carries at most 16',
    ],
    [
      'a CDB longer than virtio-scsi carries',
      caseText({ paths: ['virtio-scsi:scsi-hd'], steps: [{ ...INQUIRY, cdb: '00'.repeat(33) }] }),
      'case.json: steps[0].cdb: 33 bytes, but virtio-scsi:scsi-hd carries at most 32',
    ],
    [
      'a run in a CDB',
      stepText({ ...INQUIRY, cdb: '12 00*5' }),
      'case.json: steps[0].cdb: "00*5" is a run (XX*N), which only data may use; write each byte',
    ],
    [
      'an odd number of data digits',
      stepText(INQUIRY, { cdb: write10, dir: 'to-device', length: 2, data: 'a5a' }),
      'case.json: steps[1].data: odd number of hex digits in "a5a"',
    ],
    [
      'a non-hex data character',
      stepText({ cdb: write10, dir: 'to-device', length: 2, data: 'a5 zz' }),
      'case.json: steps[0].data: "z" is not a hex digit',
    ],
    [
      'a run without a count',
      stepText({ cdb: write10, dir: 'to-device', length: 512, data: 'a5*' }),
      'case.json: steps[0].data: run "a5*" lacks a count after "*"',
    ],
    [
      'a run of zero bytes',
      stepText({ cdb: write10, dir: 'to-device', length: 512, data: 'a5*0' }),
      'case.json: steps[0].data: run "a5*0" repeats its byte zero times',
    ],
    [
      'a huge run',
      stepText({ cdb: write10, dir: 'to-device', length: 512, data: 'a5*99999999999999999999' }),
      'case.json: steps[0].data: run "a5*99999999999999999999" is over the maximum of 16777216 bytes',
    ],
    [
      'to-device without data',
      stepText({ cdb: write10, dir: 'to-device', length: 512 }),
      'case.json: steps[0].data: required for dir "to-device": the bytes to write, as hex',
    ],
    [
      'from-device with data',
      stepText({ ...INQUIRY, data: '00*36' }),
      'case.json: steps[0].data: only a to-device step carries data, and this one is "from-device"',
    ],
    [
      'none with data',
      stepText({ cdb: '00 00 00 00 00 00', dir: 'none', data: '' }),
      'case.json: steps[0].data: only a to-device step carries data, and this one is "none"',
    ],
    [
      'data shorter than length',
      stepText({ cdb: write10, dir: 'to-device', length: 512, data: 'a5*511' }),
      'case.json: steps[0].data: 511 bytes, but length is 512',
    ],
    [
      'from-device without length',
      stepText({ ...INQUIRY, length: undefined }),
      'case.json: steps[0].length: required for dir "from-device"',
    ],
    [
      'a length over the maximum',
      stepText({ ...INQUIRY, length: 16777217 }),
      'case.json: steps[0].length: 16777217 is over the maximum of 16777216 bytes',
    ],
    [
      'a negative length',
      stepText({ ...INQUIRY, length: -1 }),
      'case.json: steps[0].length: must be at least 0, not -1',
    ],
    [
      'a fractional length',
      stepText({ ...INQUIRY, length: 36.5 }),
      'case.json: steps[0].length: must be a whole number, not 36.5',
    ],
    [
      'a length as a string',
      stepText({ ...INQUIRY, length: '36' }),
      'case.json: steps[0].length: must be a whole number, not "36"',
    ],
    [
      'an unknown dir',
      stepText({ ...INQUIRY, dir: 'in' }),
      'case.json: steps[0].dir: must be one of "none", "from-device", "to-device", not "in"',
    ],
    [
      'a zero timeout',
      stepText({ ...INQUIRY, timeoutMs: 0 }),
      'case.json: steps[0].timeoutMs: must be at least 1, not 0',
    ],
    [
      'expect that is no object',
      stepText({ ...INQUIRY, expect: [] }),
      'case.json: steps[0].expect: must be an object, not an array',
    ],
    [
      'an unknown reset kind',
      stepText({ reset: 'lun' }),
      'case.json: steps[0].reset: must be one of "device", "target", "bus", "host", not "lun"',
    ],
    [
      'an unknown host event',
      stepText({ host: 'detach' }),
      'case.json: steps[0].host: must be one of "pause", "resize", "unplug", "plug", "io-error", "snapshot", "hold", not "detach"',
    ],
    ['a pause with a size', stepText({ host: 'pause', bytes: 512 }), 'case.json: steps[0].bytes: only resize takes it, not pause'],
    ['an unplug with a sector', stepText({ host: 'unplug', sector: 8 }), 'case.json: steps[0].sector: only io-error takes it, not unplug'],
    ['a resize without a size', stepText({ host: 'resize' }), "case.json: steps[0].bytes: required for resize: the disks' new size in bytes"],
    ['an I/O error without a kind', stepText({ host: 'io-error', sector: 8 }), 'case.json: steps[0].io: required for io-error: read or write, the requests that fail'],
    ['a hold without a time', stepText({ host: 'hold' }), 'case.json: steps[0].ms: required for hold: how long QEMU holds the reads and writes, in milliseconds'],
    ['a hold past the longest', stepText({ host: 'hold', ms: 10_001 }), 'case.json: steps[0].ms: 10001 is over the maximum of 10000 ms'],
    ['a pause with a time', stepText({ host: 'pause', ms: 100 }), 'case.json: steps[0].ms: only hold takes it, not pause'],
    ['an I/O error of another kind', stepText({ host: 'io-error', io: 'flush', sector: 8 }), 'case.json: steps[0].io: must be one of "read", "write", not "flush"'],
    ['a resize off the block size', stepText({ host: 'resize', bytes: 1000 }), 'case.json: steps[0].bytes: 1000 is not a whole number of 512-byte blocks'],
    [
      'a resize past the maximum',
      stepText({ host: 'resize', bytes: 2 ** 31 }),
      'case.json: steps[0].bytes: 2147483648 is over the maximum of 1073741824 bytes',
    ],
    [
      'an unknown host step field',
      stepText({ host: 'pause', path: 'megasas:scsi-hd' }),
      'case.json: steps[0].path: unknown field; expected one of host, bytes, io, sector, ms, expect',
    ],
    [
      'a reset aimed at no path of the case',
      caseText({ paths: ['megasas:scsi-hd'], steps: [{ reset: 'device', path: 'virtio-scsi:scsi-hd' }] }),
      `case.json: steps[0].path: "virtio-scsi:scsi-hd" is not among the case's paths: megasas:scsi-hd`,
    ],
    [
      'a disk size off the block size',
      caseText({ disk: { bytes: 1000, content: 'zero' } }),
      'case.json: disk.bytes: must be a multiple of 512, not 1000',
    ],
    ['a disk without content', caseText({ disk: { bytes: 1024 } }), 'case.json: disk.content: required but missing'],
    [
      'a fractional seed',
      caseText({ provenance: { seed: 0.5 } }),
      'case.json: provenance.seed: must be a whole number, not 0.5',
    ],
  ])('%s', (_, text, expected) => {
    const message = messageOf(text);
    expect(message).toBe(expected);
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  it('a length over a configured maximum', () => {
    expect(messageOf(stepText({ ...INQUIRY, length: 4097 }), { maxBufferBytes: 4096 })).toBe(
      'case.json: steps[0].length: 4097 is over the maximum of 4096 bytes',
    );
  });

  it('keeps line breaks in the case out of the message', () => {
    expect(messageOf(stepText({ ...INQUIRY, dir: 'in\nout\u2028' }))).toBe(
      'case.json: steps[0].dir: must be one of "none", "from-device", "to-device", not "in\\nout\\u2028"',
    );
  });
});
