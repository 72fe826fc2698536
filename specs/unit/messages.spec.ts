import { fc, test } from '@fast-check/jest';
import {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  type ExecCommand,
  MAX_LOOP_ITERATIONS,
  type Reply,
  type Request,
} from '../../harness/guest/messages';
import { MalformedMessage } from '../../harness/guest/wire/malformed-message';

const u8 = fc.nat({ max: 0xff });
const u16 = fc.nat({ max: 0xffff });
const u32 = fc.nat({ max: 0xffff_ffff });
const i32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const text = fc.string({ unit: 'binary', maxLength: 40 });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((array) => Buffer.from(array));

const execCommandArb: fc.Arbitrary<ExecCommand> = fc
  .record({
    device: text,
    direction: fc.constantFrom('none', 'from-device', 'to-device') as fc.Arbitrary<ExecCommand['direction']>,
    cdb: fc.uint8Array({ minLength: 1, maxLength: 32 }).map((array) => Buffer.from(array)),
    length: fc.nat({ max: 64 }),
    timeoutMs: u32,
    fill: u8,
    digestOnly: fc.boolean(),
    queued: fc.boolean(),
  })
  .chain((command) =>
    (command.direction === 'to-device'
      ? fc.uint8Array({ minLength: command.length, maxLength: command.length }).map((array) => Buffer.from(array))
      : fc.constant(Buffer.alloc(0))
    ).map((dataOut) => ({ ...command, dataOut })),
  );

const kernelLogArb = fc.array(fc.record({ level: fc.nat({ max: 7 }), sequence: u64, timestampUs: u64, text }), {
  maxLength: 4,
});

const requestArb: fc.Arbitrary<Request> = fc.oneof(
  fc.record({ type: fc.constant('list' as const), seq: u32 }),
  fc.record({ type: fc.constant('exec' as const), seq: u32, commands: fc.array(execCommandArb, { maxLength: 4 }) }),
  fc.record({
    type: fc.constant('reset' as const),
    seq: u32,
    devices: fc.array(text, { minLength: 1, maxLength: 3 }),
    kind: fc.constantFrom('device' as const, 'target' as const, 'bus' as const, 'host' as const),
  }),
  fc.record({ type: fc.constant('klog' as const), seq: u32 }),
  fc.record({ type: fc.constant('poweroff' as const), seq: u32 }),
  fc.record({ type: fc.constant('echo' as const), seq: u32, data: bytes(64) }),
  fc.record({ type: fc.constant('loop' as const), seq: u32, iterations: fc.integer({ min: 1, max: MAX_LOOP_ITERATIONS }), command: execCommandArb }),
  fc.record({ type: fc.constant('run' as const), seq: u32, argv: fc.array(text, { minLength: 1, maxLength: 4 }), env: fc.array(text, { maxLength: 3 }) }),
);

const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    seq: u32,
    protocolVersion: u32,
    kernelRelease: text,
    agentVersion: text,
  }),
  fc.record({
    type: fc.constant('list' as const),
    seq: u32,
    devices: fc.array(
      fc.record({
        sgNode: text,
        host: u32,
        channel: u32,
        target: u32,
        lun: u32,
        scsiType: u8,
        driver: text,
        vendor: text,
        model: text,
        revision: text,
        blockNode: fc.option(text.filter((node) => node !== ''), { nil: null }),
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    type: fc.constant('exec' as const),
    seq: u32,
    results: fc.array(
      fc.record({
        errno: i32,
        status: u8,
        hostStatus: u16,
        driverStatus: u16,
        sense: bytes(252),
        residual: i32,
        info: u32,
        durationNs: u64,
        completion: u16,
        dataDigest: u64,
        dataIn: bytes(64),
        kernelLog: kernelLogArb,
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record({ type: fc.constant('reset' as const), seq: u32, errnos: fc.array(i32, { maxLength: 3 }) }),
  fc.record({
    type: fc.constant('klog' as const),
    seq: u32,
    records: kernelLogArb,
  }),
  fc.record({ type: fc.constant('poweroff' as const), seq: u32 }),
  fc.record({ type: fc.constant('echo' as const), seq: u32, data: bytes(64) }),
  fc.record({ type: fc.constant('loop' as const), seq: u32, errno: i32, notGood: u32, elapsedNs: u64, durationsNs: fc.array(u64, { maxLength: 8 }) }),
  fc.record({ type: fc.constant('progress' as const), seq: u32, done: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ type: fc.constant('run' as const), seq: u32, status: i32, truncated: fc.boolean(), output: bytes(64) }),
  fc.record({ type: fc.constant('error' as const), seq: u32, message: text }),
);

function decodeFailure(decode: () => unknown): unknown {
  try {
    decode();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('requests', () => {
  test.prop([requestArb])('decode what they encode', (request) => {
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
  });

  it('lay out EXEC commands as the protocol document says, without DIGEST_ONLY unless asked', () => {
    const payload = encodeRequest({
      type: 'exec',
      seq: 0x01020304,
      commands: [
        {
          device: '/dev/sg1',
          direction: 'to-device',
          cdb: Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
          length: 2,
          timeoutMs: 1000,
          fill: 0xa5,
          dataOut: Buffer.from([0xde, 0xad]),
        },
        {
          device: '/dev/sg1',
          direction: 'from-device',
          cdb: Buffer.from([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
          length: 512,
          timeoutMs: 1000,
          fill: 0xa5,
          digestOnly: true,
          queued: true,
          dataOut: Buffer.alloc(0),
        },
      ],
    });
    expect(payload.toString('hex')).toBe(
      [
        '02', '04030201', '0200',
        '0800', Buffer.from('/dev/sg1').toString('hex'),
        '02', '0a', '2a000000000000000100',
        '02000000', 'e8030000', 'a5', '00', '01000000', '00', '02000000', 'dead',
        '0800', Buffer.from('/dev/sg1').toString('hex'),
        '01', '0a', '28000000000000000100',
        '00020000', 'e8030000', 'a5', '03', '00000000',
      ].join(''),
    );
  });

  it('send runs of data-out as a byte and a count, and literal bytes as they are', () => {
    const dataOut = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.alloc(65536, 0x5a), Buffer.from([4])]);
    const command: ExecCommand = { device: '/dev/sg1', direction: 'to-device', cdb: Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 128, 0]), length: dataOut.length, timeoutMs: 1000, fill: 0, dataOut };
    const payload = encodeRequest({ type: 'exec', seq: 1, commands: [command] });
    expect(payload.length).toBeLessThan(80);
    expect(payload.subarray(payload.length - 24).toString('hex')).toBe(
      ['03000000', '00', '03000000', '010203', '01', '5a', '00000100', '00', '01000000', '04'].join(''),
    );
    expect(decodeRequest(payload)).toEqual({ type: 'exec', seq: 1, commands: [{ ...command, digestOnly: false, queued: false }] });
  });

  it('never make data-out larger on the line than it is, however short its runs (runs from 8 bytes made it a third larger)', () => {
    for (const runLength of [8, 15, 16, 17]) {
      const dataOut = Buffer.alloc(8 * 1024 * 1024);
      for (let at = 0; at < dataOut.length; at += runLength + 1) dataOut[at] = 0xff;
      const command: ExecCommand = { device: '/dev/sg1', direction: 'to-device', cdb: Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0x40, 0, 0]), length: dataOut.length, timeoutMs: 1000, fill: 0, dataOut };
      const payload = encodeRequest({ type: 'exec', seq: 1, commands: [command] });
      expect([runLength, payload.length <= dataOut.length + 64]).toEqual([runLength, true]);
      expect((decodeRequest(payload) as { commands: ExecCommand[] }).commands[0].dataOut.equals(dataOut)).toBe(true);
    }
  });

  const testUnitReady: ExecCommand = {
    device: '/dev/sg0',
    direction: 'none',
    cdb: Buffer.alloc(6),
    length: 0,
    timeoutMs: 1000,
    fill: 0,
    dataOut: Buffer.alloc(0),
  };

  it('lay out a LOOP as its iteration count before one EXEC command', () => {
    const payload = encodeRequest({ type: 'loop', seq: 9, iterations: 1000, command: testUnitReady });
    expect(payload.toString('hex')).toBe(
      ['07', '09000000', 'e8030000', '0800', Buffer.from('/dev/sg0').toString('hex'), '00', '06', '000000000000', '00000000', 'e8030000', '00', '00', '00000000'].join(''),
    );
  });

  it.each([0, MAX_LOOP_ITERATIONS + 1, 1.5])('refuse a LOOP of %d iterations', (iterations) => {
    expect(() => encodeRequest({ type: 'loop', seq: 1, iterations, command: testUnitReady })).toThrow(RangeError);
  });

  it.each<[string, Partial<ExecCommand>]>([
    ['an empty CDB', { cdb: Buffer.alloc(0) }],
    ['a 256-byte CDB', { cdb: Buffer.alloc(256) }],
    ['too little data-out', { direction: 'to-device', length: 2, dataOut: Buffer.alloc(1) }],
    ['data-out without direction to-device', { dataOut: Buffer.alloc(1) }],
  ])('refuse a command with %s', (_name, change) => {
    const request: Request = { type: 'exec', seq: 1, commands: [{ ...testUnitReady, ...change }] };
    expect(() => encodeRequest(request)).toThrow(RangeError);
  });

  it.each([
    ['a direction out of range', '02 01000000 0100 0000 03 01 00 00000000 00000000 00 00 00000000'],
    ['an empty CDB', '02 01000000 0100 0000 00 00 00000000 00000000 00 00 00000000'],
    ['an EXEC flag other than DIGEST_ONLY, QUEUED and RESET', '02 01000000 0100 0000 00 01 00 00000000 00000000 00 08 00000000'],
    ['a RESET entry of a kind out of range', '02 01000000 0100 0000 00 01 09 00000000 00000000 00 04 00000000'],
    ['a RESET entry with data', '02 01000000 0100 0000 01 01 00 00020000 00000000 00 04 00000000'],
    ['a reset kind out of range', '03 01000000 0000 04'],
    ['a LOOP of no iterations', '07 01000000 00000000 0000 00 01 00 00000000 00000000 00 00 00000000'],
    ['a LOOP whose command has an empty CDB', '07 01000000 01000000 0000 00 00 00000000 00000000 00 00 00000000'],
    ['an unknown type', '08 01000000'],
  ])('with %s do not decode', (_name, hex) => {
    const payload = Buffer.from(hex.replace(/ /g, ''), 'hex');
    expect(decodeFailure(() => decodeRequest(payload))).toBeInstanceOf(MalformedMessage);
  });
});

describe('replies', () => {
  test.prop([replyArb])('decode what they encode', (reply) => {
    expect(decodeReply(encodeReply(reply))).toEqual(reply);
  });

  it('lay out an EXEC result as the protocol document says', () => {
    const payload = Buffer.from(
      [
        '83', '07000000', '0100',
        'feffffff', '02', '0700', '0800', '02', '7000', 'fcffffff', '09000000',
        '0a00000000000000', '0300', '0102030405060708', '01000000', '5a',
        '01000000', '04', '2a00000000000000', '1027000000000000', '0500', Buffer.from('hello').toString('hex'),
      ].join(''),
      'hex',
    );
    expect(decodeReply(payload)).toEqual({
      type: 'exec',
      seq: 7,
      results: [
        {
          errno: -2,
          status: 2,
          hostStatus: 7,
          driverStatus: 8,
          sense: Buffer.from([0x70, 0]),
          residual: -4,
          info: 9,
          durationNs: 10n,
          completion: 3,
          dataDigest: 0x0807060504030201n,
          dataIn: Buffer.from([0x5a]),
          kernelLog: [{ level: 4, sequence: 42n, timestampUs: 10_000n, text: 'hello' }],
        },
      ],
    });
  });

  it('lay out a LOOP reply as the protocol document says', () => {
    const payload = Buffer.from(
      ['88', '03000000', '00000000', '02000000', 'e803000000000000', '02000000', '6400000000000000', 'c800000000000000'].join(''),
      'hex',
    );
    expect(decodeReply(payload)).toEqual({ type: 'loop', seq: 3, errno: 0, notGood: 2, elapsedNs: 1000n, durationsNs: [100n, 200n] });
  });

  it('lay out a PROGRESS as the protocol document says', () => {
    expect(decodeReply(Buffer.from('89' + '07000000' + '0300', 'hex'))).toEqual({ type: 'progress', seq: 7, done: 3 });
  });

  test.prop([replyArb, fc.nat()])('cut short do not decode', (reply, keep) => {
    const payload = encodeReply(reply);
    const truncated = payload.subarray(0, keep % payload.length);
    expect(decodeFailure(() => decodeReply(truncated))).toBeInstanceOf(MalformedMessage);
  });

  test.prop([replyArb, bytes(8).filter((extra) => extra.length > 0)])(
    'with trailing bytes do not decode',
    (reply, extra) => {
      const payload = Buffer.concat([encodeReply(reply), extra]);
      expect(decodeFailure(() => decodeReply(payload))).toBeInstanceOf(MalformedMessage);
    },
  );

  test.prop([u8.filter((code) => (code < 0x81 || code > 0x8a) && code !== 0xff), bytes(16)])(
    'of unknown types do not decode',
    (code, rest) => {
      expect(decodeFailure(() => decodeReply(Buffer.concat([Buffer.of(code), rest])))).toBeInstanceOf(MalformedMessage);
    },
  );

  test.prop([bytes(64)])('from arbitrary bytes decode or fail with MalformedMessage only', (payload) => {
    const failure = decodeFailure(() => decodeReply(payload));
    if (failure !== undefined) expect(failure).toBeInstanceOf(MalformedMessage);
  });
});
