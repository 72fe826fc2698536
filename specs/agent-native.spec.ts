import { fc, test } from '@fast-check/jest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type IPty } from 'node-pty';
import { AgentClient, type AgentChannel } from '../harness/guest/agent-client';
import {
  encodeRequest,
  execReset,
  PROTOCOL_VERSION,
  type ExecCommand,
  type Hello,
  type Reply,
  type RequestBody,
} from '../harness/guest/messages';
import { encodeFrame } from '../harness/guest/wire/frame';

/**
 * Runs the guest agent natively on a pty, the way QEMU's serial port presents it to the host,
 * and talks to it through AgentClient.
 */

const AGENT_SOURCE = join(__dirname, '..', 'guests', 'agent', 'agent.c');

function compileAgent(directory: string): string {
  const binary = join(directory, 'agent');
  const result = spawnSync('gcc', ['-static', '-Os', '-Wall', '-Wextra', '-Werror', '-o', binary, AGENT_SOURCE], {
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw new Error(`cannot run gcc: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`gcc failed with status ${result.status}:\n${result.stderr}`);
  return binary;
}

/** With `encoding: null` node-pty delivers Buffers, although its typings promise strings. */
function ptyChannel(pty: IPty): AgentChannel {
  return {
    write: (data) => pty.write(data),
    onData: (listener) =>
      pty.onData((data: string | Buffer) => listener(Buffer.isBuffer(data) ? data : Buffer.from(data))),
  };
}

function rawFrame(type: number, seq: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeUInt32LE(seq, 1);
  return encodeFrame(Buffer.concat([header, body]));
}

/** Devices whose ioctls fail harmlessly, even with a bit of the name flipped. */
const harmlessDevices = ['/dev/null', '/dev/sg-hbadiff-missing', ''];

const harmlessCommandArb: fc.Arbitrary<ExecCommand> = fc.record({
  device: fc.constantFrom(...harmlessDevices),
  direction: fc.constantFrom('none' as const, 'from-device' as const),
  cdb: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((a) => Buffer.from(a)),
  length: fc.nat({ max: 4096 }),
  timeoutMs: fc.nat(),
  fill: fc.nat({ max: 255 }),
  digestOnly: fc.boolean(),
  dataOut: fc.constant(Buffer.alloc(0)),
});

const requestBodyArb: fc.Arbitrary<RequestBody> = fc.oneof(
  fc.constant({ type: 'list' as const }),
  fc.constant({ type: 'klog' as const }),
  fc.record({ type: fc.constant('echo' as const), data: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) }),
  fc.record({
    type: fc.constant('reset' as const),
    devices: fc.array(fc.constantFrom(...harmlessDevices), { minLength: 1, maxLength: 3 }),
    kind: fc.constantFrom('device' as const, 'target' as const, 'bus' as const, 'host' as const),
  }),
  fc.record({ type: fc.constant('exec' as const), commands: fc.array(harmlessCommandArb, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('loop' as const), iterations: fc.integer({ min: 1, max: 3 }), command: harmlessCommandArb }),
);

/** Console noise, bits of frames and random bytes, never a whole valid frame. */
const frameFragments = ['~HBAD ', '~HBAD 00000010 ', '~HBAD 01000001 ', '~HBAD 00000001 00000000 ', '=\r\r', '\n'];
const lineNoiseArb = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.constantFrom(...frameFragments).map((text) => Buffer.from(text)),
    ),
    { maxLength: 20 },
  )
  .map((parts) => Buffer.concat(parts));
const bitFlipsArb = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { maxLength: 4 });

const missingDevice: ExecCommand = {
  device: '/dev/sg-hbadiff-missing',
  direction: 'from-device',
  cdb: Buffer.from([0x12, 0, 0, 0, 36, 0]),
  length: 36,
  timeoutMs: 1000,
  fill: 0xa5,
  dataOut: Buffer.alloc(0),
};

describe('the guest agent running natively on a pty', () => {
  let directory: string;
  let pty: IPty;
  let exited: Promise<{ exitCode: number; signal?: number }>;
  let running = false;
  let client: AgentClient;
  let hello: Hello;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'hbadiff-agent-'));
    const agent = compileAgent(directory);
    // A temporary working directory, so that fuzzed relative device names open nothing real.
    pty = spawn(agent, ['--stdio'], { encoding: null, cols: 200, rows: 50, cwd: directory });
    running = true;
    exited = new Promise((resolve) =>
      pty.onExit((exit) => {
        running = false;
        resolve(exit);
      }),
    );
    client = new AgentClient(ptyChannel(pty), { requestTimeoutMs: 20_000 });
    // The pty echoes input until the agent has made it raw, so nothing is sent before HELLO.
    hello = await client.waitForHello(10_000);
  });

  afterAll(() => {
    // beforeAll may have failed part-way, e.g. in gcc.
    client?.close();
    if (running) pty.kill();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  function nextUnsolicitedReply(): Promise<Reply> {
    return new Promise((resolve) => {
      const subscription = client.onUnsolicitedReply((reply) => {
        subscription.dispose();
        resolve(reply);
      });
    });
  }

  it('says HELLO with the protocol version and the kernel release', () => {
    expect(hello).toEqual({
      type: 'hello',
      seq: 0,
      protocolVersion: PROTOCOL_VERSION,
      kernelRelease: release(),
      agentVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
  });

  test.prop([fc.uint8Array({ maxLength: 5000 })], { numRuns: 40 })('echoes random payloads', async (data) => {
    await expect(client.echo(Buffer.from(data))).resolves.toEqual(Buffer.from(data));
  });

  it('echoes a 1 MiB payload', async () => {
    const data = randomBytes(1024 * 1024);
    const echoed = await client.echo(data);
    // Buffer.equals, because jest's deep equality takes seconds over a megabyte.
    expect(echoed.equals(data)).toBe(true);
  });

  it('lists the sg devices of this machine', async () => {
    const devices = await client.list();
    if (!existsSync('/sys/class/scsi_generic')) expect(devices).toEqual([]);
    for (const device of devices) expect(device.sgNode).toMatch(/^\/dev\/sg\d+$/);
  });

  it('returns kernel log records, each only once', async () => {
    const first = await client.kernelLog();
    expect(first.length).toBeGreaterThan(0);
    for (const record of first) expect(record.level).toBeLessThanOrEqual(7);
    const sequences = first.map((record) => record.sequence);
    expect([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sequences);

    const marker = `hbadiff agent-native spec ${randomBytes(6).toString('hex')}`;
    writeFileSync('/dev/kmsg', `<6>${marker}\n`);
    const second = await client.kernelLog();
    const lastSeen = sequences[sequences.length - 1];
    for (const record of second) expect(record.sequence).toBeGreaterThan(lastSeen);
    expect(second).toContainEqual(expect.objectContaining({ level: 6, text: marker }));
  });

  it('keeps the records that appear between commands for KLOG, out of every command\'s log', async () => {
    await client.kernelLog();
    const marker = `hbadiff agent-native spec ${randomBytes(6).toString('hex')}`;
    writeFileSync('/dev/kmsg', `<6>${marker}\n`);
    // /dev/null takes the SG_IO ioctl (and refuses it), so the agent drains the kernel log around it.
    const [result] = await client.exec([{ ...missingDevice, device: '/dev/null' }]);
    expect(result.kernelLog).not.toContainEqual(expect.objectContaining({ text: marker }));
    expect(await client.kernelLog()).toContainEqual(expect.objectContaining({ level: 6, text: marker }));
  });

  it('reports the errno of each command of a batch, in order, with no digest and no kernel log', async () => {
    const results = await client.exec([missingDevice, { ...missingDevice, device: '/dev/null' }]);
    const failure = {
      status: 0,
      hostStatus: 0,
      driverStatus: 0,
      sense: Buffer.alloc(0),
      residual: 0,
      info: 0,
      durationNs: 0n,
      dataDigest: 0n,
      dataIn: Buffer.alloc(0),
      kernelLog: [],
    };
    expect(results).toEqual([
      { errno: constants.errno.ENOENT, ...failure, completion: 0 },
      { errno: constants.errno.ENOTTY, ...failure, completion: 1 },
    ]);
  });

  it('keeps queued commands in flight together and ranks every command of the batch by when it completed', async () => {
    // /dev/null takes sg's write() and has no completion to read: its queued command ends with EIO.
    const results = await client.exec([
      { ...missingDevice, device: '/dev/null' },
      { ...missingDevice, queued: true },
      { ...missingDevice, device: '/dev/null', queued: true },
      { ...missingDevice, device: '/dev/null' },
    ]);
    expect(results.map((result) => [result.errno, result.completion])).toEqual([
      [constants.errno.ENOTTY, 0],
      [constants.errno.ENOENT, 1],
      [constants.errno.EIO, 2],
      [constants.errno.ENOTTY, 3],
    ]);
  });

  it('carries out a batch\'s reset entries in their place, queued among commands or alone, each with its ioctl\'s errno', async () => {
    const results = await client.exec([
      { ...missingDevice, device: '/dev/null', queued: true },
      execReset('/dev/sg-hbadiff-missing', 'device', true),
      { ...missingDevice, device: '/dev/null', queued: true },
      execReset('/dev/null', 'host', false),
    ]);
    // The reset runs once the command before it is in flight, before that command's completion (EIO) is taken.
    expect(results.map((result) => [result.errno, result.completion])).toEqual([
      [constants.errno.EIO, 1],
      [constants.errno.ENOENT, 0],
      [constants.errno.EIO, 2],
      [constants.errno.ENOTTY, 3],
    ]);
  });

  it('ends a LOOP at the first failed ioctl and reports its errno, with no durations', async () => {
    const loop = (device: string) => client.loop({ command: { ...missingDevice, device }, iterations: 5 });
    await expect(loop('/dev/sg-hbadiff-missing')).resolves.toEqual(
      expect.objectContaining({ errno: constants.errno.ENOENT, notGood: 0, durationsNs: [] }),
    );
    await expect(loop('/dev/null')).resolves.toEqual(expect.objectContaining({ errno: constants.errno.ENOTTY, notGood: 0, durationsNs: [] }));
  });

  it('reports the errno of each reset, one device or several at once', async () => {
    await expect(client.reset(['/dev/sg-hbadiff-missing'], 'device')).resolves.toEqual([constants.errno.ENOENT]);
    await expect(client.reset(['/dev/null'], 'host')).resolves.toEqual([constants.errno.ENOTTY]);
    await expect(client.reset(['/dev/null', '/dev/sg-hbadiff-missing', '/dev/zero'], 'bus')).resolves.toEqual([constants.errno.ENOTTY, constants.errno.ENOENT, constants.errno.ENOTTY]);
  });

  it('runs a program with exactly the environment given and returns its exit status and output, error stream included', async () => {
    const result = await client.run({ argv: ['/bin/sh', '-c', 'echo "$GREETING $#"; echo to-stderr >&2; exit 3', 'sh', 'a', 'b'], env: ['GREETING=hello'] });
    expect(result).toEqual({ status: 3, truncated: false, output: Buffer.from('hello 2\nto-stderr\n') });
  });

  it('reports a program killed by a signal as minus the signal, and one it cannot start as 127 with why', async () => {
    await expect(client.run({ argv: ['/bin/sh', '-c', 'kill -TERM $$'], env: [] })).resolves.toEqual(expect.objectContaining({ status: -constants.signals.SIGTERM }));
    const missing = await client.run({ argv: ['/nonexistent/hbadiff-program'], env: [] });
    expect(missing.status).toBe(127);
    expect(missing.output.toString()).toContain('cannot run /nonexistent/hbadiff-program: No such file or directory');
  });

  it('keeps a RUN that outlasts the request timeout alive with its progress reports', async () => {
    const result = await client.run({ argv: ['/bin/sh', '-c', 'sleep 3; echo done'], env: [] }, { timeoutMs: 1500 });
    expect(result.output.toString()).toBe('done\n');
  });

  it('answers a corrupt frame with ERROR seq 0 and keeps serving', async () => {
    const error = nextUnsolicitedReply();
    pty.write(Buffer.from('~HBAD 00000003 352441c3 YWJj\n', 'latin1'));
    await expect(error).resolves.toEqual({ type: 'error', seq: 0, message: 'corrupt frame: CRC mismatch' });
    await expect(client.echo(Buffer.from('still there'))).resolves.toEqual(Buffer.from('still there'));
  });

  it('rescans after a truncated frame and serves the request that follows it', async () => {
    const error = nextUnsolicitedReply();
    pty.write(rawFrame(0x06, 0xdead0000, Buffer.from([3, 0, 0, 0, 1, 2, 3])).subarray(0, 20));
    await expect(client.echo(Buffer.from('after'))).resolves.toEqual(Buffer.from('after'));
    await expect(error).resolves.toEqual({ type: 'error', seq: 0, message: expect.stringMatching(/^corrupt frame: /) });
  });

  test.prop([lineNoiseArb], { numRuns: 100 })('keeps serving after arbitrary line noise', async (noise) => {
    pty.write(noise);
    await expect(client.echo(Buffer.from('ok'))).resolves.toEqual(Buffer.from('ok'));
  });

  test.prop([requestBodyArb, bitFlipsArb, fc.nat(), fc.uint8Array({ maxLength: 4 })], { numRuns: 300 })(
    'answers every mutated request exactly once, for its seq',
    async (body, flips, keep, extra) => {
      const seq = 0xdeae0000;
      const payload = encodeRequest({ ...body, seq });
      const headerLength = 5;
      for (const [position, bit] of flips) {
        const index = position % payload.length;
        // The seq stays intact, so that the answer can be recognised.
        if (index === 0 || index >= headerLength) payload[index] ^= 1 << bit;
      }
      const kept = headerLength + (keep % (payload.length - headerLength + 1));
      const mutated = Buffer.concat([payload.subarray(0, kept), extra]);
      const poweroff = 0x05;
      fc.pre(mutated[0] !== poweroff || mutated.length !== headerLength);

      const answers: Reply[] = [];
      const subscription = client.onUnsolicitedReply((reply) => answers.push(reply));
      pty.write(encodeFrame(mutated));
      // The agent serves in order, so once the echo is back the mutated request has been answered.
      await expect(client.echo(Buffer.from('ok'))).resolves.toEqual(Buffer.from('ok'));
      subscription.dispose();
      expect(answers).toEqual([expect.objectContaining({ seq })]);
    },
  );

  it.each([
    ['an unknown type', rawFrame(0x42, 0xdead0001, Buffer.from('junk')), 0xdead0001, /unknown message type 0x42/],
    ['a truncated EXEC body', rawFrame(0x02, 0xdead0002, Buffer.from([1, 0, 4, 0])), 0xdead0002, /truncated/],
    ['trailing bytes after LIST', rawFrame(0x01, 0xdead0003, Buffer.from([0])), 0xdead0003, /trailing/],
    ['a reset kind out of range', rawFrame(0x03, 0xdead0004, Buffer.from([0, 0, 9])), 0xdead0004, /kind 9/],
    [
      'an EXEC flag other than DIGEST_ONLY',
      rawFrame(0x02, 0xdead0005, Buffer.from('0100 0000 00 01 00 00000000 00000000 00 80 00000000'.replace(/ /g, ''), 'hex')),
      0xdead0005,
      /command 0 has unknown flags 0x80/,
    ],
    [
      'a reset entry of a kind out of range',
      rawFrame(0x02, 0xdead0009, Buffer.from('0100 0000 00 01 09 00000000 00000000 00 04 00000000'.replace(/ /g, ''), 'hex')),
      0xdead0009,
      /reset entry 0 needs direction 0, length 0 and one CDB byte of 0\.\.3/,
    ],
    ['a LOOP of no iterations', rawFrame(0x07, 0xdead0006, Buffer.from('00000000 0000 00 01 00 00000000 00000000 00 00 00000000'.replace(/ /g, ''), 'hex')), 0xdead0006, /LOOP request: 0 iterations/],
    [
      'a LOOP command with data-out bytes it does not send',
      rawFrame(0x07, 0xdead0007, Buffer.from('01000000 0000 00 01 00 00000000 00000000 00 00 01000000 00 01000000 ff'.replace(/ /g, ''), 'hex')),
      0xdead0007,
      /malformed LOOP request: command 0 has more than 0 data-out bytes/,
    ],
    [
      'an EXEC command whose data-out runs fall short of its length',
      rawFrame(0x02, 0xdead0008, Buffer.from('0100 0000 02 01 00 04000000 00000000 00 00 01000000 01 5a 03000000'.replace(/ /g, ''), 'hex')),
      0xdead0008,
      /malformed EXEC request: command 0 has 3 data-out bytes, expected 4/,
    ],
    [
      'a data-out piece of an unknown kind',
      rawFrame(0x02, 0xdead0009, Buffer.from('0100 0000 02 01 00 04000000 00000000 00 00 01000000 07'.replace(/ /g, ''), 'hex')),
      0xdead0009,
      /command 0 has a data-out piece of kind 7/,
    ],
    ['a payload too short for a header', encodeFrame(Buffer.from([0x06, 1])), 0, /too short/],
  ])('answers a valid frame with %s with ERROR for its seq', async (_name, frame, seq, message) => {
    const error = nextUnsolicitedReply();
    pty.write(frame);
    await expect(error).resolves.toEqual({ type: 'error', seq, message: expect.stringMatching(message) });
    await expect(client.echo(Buffer.from('ok'))).resolves.toEqual(Buffer.from('ok'));
  });

  it('replies to POWEROFF and exits with status 0', async () => {
    await client.poweroff();
    await expect(exited).resolves.toEqual(expect.objectContaining({ exitCode: 0 }));
  });
});
