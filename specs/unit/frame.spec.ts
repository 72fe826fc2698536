import { fc, test } from '@fast-check/jest';
import {
  encodeFrame,
  FRAME_MARKER,
  FrameScanner,
  MAX_CONSOLE_LINE_LENGTH,
  MAX_PAYLOAD_LENGTH,
  type ScanEvent,
} from '../../harness/guest/wire/frame';

const HEADER_LENGTH = 24;

function scan(stream: Buffer, cuts: number[] = []): ScanEvent[] {
  const scanner = new FrameScanner();
  const events: ScanEvent[] = [];
  let start = 0;
  for (const cut of [...cuts.map((c) => c % (stream.length + 1)), stream.length].sort((a, b) => a - b)) {
    events.push(...scanner.push(stream.subarray(start, cut)));
    start = cut;
  }
  return events;
}

function framesOf(events: ScanEvent[]): Buffer[] {
  return events.flatMap((event) => (event.kind === 'frame' ? [event.payload] : []));
}

function corruptionsOf(events: ScanEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'corrupt' ? [event.reason] : []));
}

function consoleLinesOf(events: ScanEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'console' ? [event.line] : []));
}

const payloadArb = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
/** Console text rich in marker fragments, but never a whole marker. */
const noiseArb = fc
  .string({ unit: fc.constantFrom('~', 'H', 'B', 'A', 'D', ' ', '0', 'a', '=', '\n', 'é', '['), maxLength: 40 })
  .filter((text) => !text.includes(FRAME_MARKER.toString('latin1')));
const cutsArb = fc.array(fc.nat(), { maxLength: 20 });
const kernelMessageArb = fc
  .tuple(fc.nat({ max: 99999 }), fc.nat({ max: 999999 }), fc.string({ maxLength: 30 }))
  .map(([seconds, micros, text]) => `[${String(seconds).padStart(5)}.${String(micros).padStart(6, '0')}] ${text}\n`);

describe('encodeFrame', () => {
  it('writes the marker, hex length, hex CRC-32, base64 and a newline', () => {
    expect(encodeFrame(Buffer.from('abc')).toString('latin1')).toBe('~HBAD 00000003 352441c2 YWJj\n');
    expect(encodeFrame(Buffer.alloc(0)).toString('latin1')).toBe('~HBAD 00000000 00000000 \n');
  });

  it('refuses payloads over the maximum', () => {
    expect(() => encodeFrame(Buffer.alloc(MAX_PAYLOAD_LENGTH + 1))).toThrow(RangeError);
  });
});

describe('FrameScanner', () => {
  test.prop([payloadArb])('returns an encoded payload as exactly one frame', (payload) => {
    expect(scan(encodeFrame(payload))).toEqual([{ kind: 'frame', payload }]);
  });

  it.each([
    ['\\r\\n', '\r\n'],
    ['\\r\\r\\n', '\r\r\n'],
  ])('accepts the %s terminator', (_name, terminator) => {
    const frame = encodeFrame(Buffer.from('hello'));
    const stream = Buffer.concat([frame.subarray(0, -1), Buffer.from(terminator, 'latin1')]);
    expect(scan(stream)).toEqual([{ kind: 'frame', payload: Buffer.from('hello') }]);
  });

  it('rejects a terminator with three carriage returns', () => {
    const frame = encodeFrame(Buffer.from('hello'));
    const stream = Buffer.concat([frame.subarray(0, -1), Buffer.from('\r\r\r\n', 'latin1')]);
    expect(framesOf(scan(stream))).toEqual([]);
    expect(corruptionsOf(scan(stream))).toEqual(['missing terminator']);
  });

  it('accepts upper-case hex digits', () => {
    const stream = Buffer.from('~HBAD 00000003 352441C2 YWJj\n', 'latin1');
    expect(framesOf(scan(stream))).toEqual([Buffer.from('abc')]);
  });

  it('reports a CRC mismatch', () => {
    expect(corruptionsOf(scan(Buffer.from('~HBAD 00000003 352441c3 YWJj\n', 'latin1')))).toEqual(['CRC mismatch']);
  });

  it('reports non-canonical base64 whose unused bits are set', () => {
    expect(corruptionsOf(scan(Buffer.from('~HBAD 00000001 e8b7be43 YR==\n', 'latin1')))).toEqual([
      'non-canonical base64',
    ]);
  });

  it('reports a length over the maximum as soon as the length field is complete', () => {
    const length = (MAX_PAYLOAD_LENGTH + 1).toString(16).padStart(8, '0');
    expect(corruptionsOf(scan(Buffer.from(`~HBAD ${length}`, 'latin1')))).toHaveLength(1);
  });

  it('holds a partial console line until its newline', () => {
    const scanner = new FrameScanner();
    expect(scanner.push(Buffer.from('login: '))).toEqual([]);
    expect(scanner.partialConsoleLine).toBe('login: ');
    expect(scanner.push(Buffer.from('root\r\nnext'))).toEqual([{ kind: 'console', line: 'login: root' }]);
  });

  it('emits a partial console line when a frame marker follows it', () => {
    const stream = Buffer.concat([Buffer.from('Kernel panic - not syncing'), encodeFrame(Buffer.from('x'))]);
    expect(scan(stream)).toEqual([
      { kind: 'console', line: 'Kernel panic - not syncing' },
      { kind: 'frame', payload: Buffer.from('x') },
    ]);
  });

  it('splits console lines longer than the cap', () => {
    const lines = consoleLinesOf(scan(Buffer.from(`${'x'.repeat(MAX_CONSOLE_LINE_LENGTH * 2 + 5)}\n`)));
    expect(lines.map((line) => line.length)).toEqual([MAX_CONSOLE_LINE_LENGTH, MAX_CONSOLE_LINE_LENGTH, 5]);
  });

  test.prop([fc.array(fc.tuple(noiseArb, payloadArb), { maxLength: 6 }), noiseArb, cutsArb])(
    'finds every frame exactly once, in order, in console noise cut anywhere',
    (segments, trailingNoise, cuts) => {
      const stream = Buffer.concat([
        ...segments.flatMap(([noise, payload]) => [Buffer.from(noise), encodeFrame(payload)]),
        Buffer.from(trailingNoise),
      ]);
      const events = scan(stream, cuts);

      expect(framesOf(events)).toEqual(segments.map(([, payload]) => payload));
      expect(corruptionsOf(events)).toEqual([]);
      // A frame marker ends a partial console line; the end of the stream does not.
      const linesBeforeFrame = (noise: string) =>
        noise.split('\n').filter((line, index, all) => index < all.length - 1 || line !== '');
      const expectedLines = [
        ...segments.flatMap(([noise]) => linesBeforeFrame(noise)),
        ...trailingNoise.split('\n').slice(0, -1),
      ];
      expect(consoleLinesOf(events)).toEqual(expectedLines);
    },
  );

  test.prop([noiseArb, payloadArb, noiseArb, fc.nat(), fc.nat({ max: 7 }), cutsArb])(
    'never accepts a frame with a flipped bit as a different payload',
    (before, payload, after, position, bit, cuts) => {
      const frame = encodeFrame(payload);
      const stream = Buffer.concat([Buffer.from(before), frame, Buffer.from(after)]);
      const flipped = position % stream.length;
      const original = stream[flipped];
      stream[flipped] ^= 1 << bit;
      const events = scan(stream, cuts);

      const frameStart = Buffer.byteLength(before);
      const inFrame = flipped >= frameStart && flipped < frameStart + frame.length;
      const inHeader = inFrame && flipped - frameStart < HEADER_LENGTH;
      const hexLetterCaseOnly = inHeader && bit === 5 && /[a-f]/.test(String.fromCharCode(original));
      if (inFrame && !hexLetterCaseOnly) {
        expect(framesOf(events)).toEqual([]);
        if (flipped - frameStart >= FRAME_MARKER.length) expect(corruptionsOf(events)).toHaveLength(1);
      } else {
        expect(framesOf(events)).toEqual([payload]);
      }
    },
  );

  test.prop([payloadArb, fc.nat(), payloadArb, cutsArb])(
    'never accepts a truncated frame',
    (payload, keep, nextPayload, cuts) => {
      const frame = encodeFrame(payload);
      const truncated = frame.subarray(0, keep % frame.length);

      expect(framesOf(scan(truncated, cuts))).toEqual([]);
      const followed = scan(Buffer.concat([truncated, encodeFrame(nextPayload)]), cuts);
      expect(framesOf(followed)).toEqual([nextPayload]);
    },
  );

  test.prop([payloadArb, fc.nat(), kernelMessageArb, payloadArb, cutsArb])(
    'treats a frame with kernel text inside as corrupt, and keeps the kernel text',
    (payload, position, kernelMessage, nextPayload, cuts) => {
      const frame = encodeFrame(payload);
      const split = 1 + (position % (frame.length - 1));
      const stream = Buffer.concat([
        frame.subarray(0, split),
        Buffer.from(kernelMessage),
        frame.subarray(split),
        encodeFrame(nextPayload),
      ]);
      const events = scan(stream, cuts);

      expect(framesOf(events)).toEqual([nextPayload]);
      if (split >= FRAME_MARKER.length) expect(corruptionsOf(events)).toHaveLength(1);
      const kernelLine = kernelMessage.slice(0, -1);
      expect(consoleLinesOf(events).some((line) => line.includes(kernelLine))).toBe(true);
    },
  );
});
