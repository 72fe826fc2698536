import {
  AgentClient,
  AgentClosed,
  AgentError,
  AgentProtocolMismatch,
  AgentTimeout,
  type AgentChannel,
} from '../../harness/guest/agent-client';
import { decodeRequest, encodeReply, PROTOCOL_VERSION, type Hello, type Reply, type Request } from '../../harness/guest/messages';
import { encodeFrame, FrameScanner } from '../../harness/guest/wire/frame';
import { MalformedMessage } from '../../harness/guest/wire/malformed-message';

/** The host end of a wire whose guest end the spec drives by hand. */
class FakeWire implements AgentChannel {
  readonly requests: Request[] = [];
  private readonly scanner = new FrameScanner();
  private readonly listeners = new Set<(chunk: Buffer) => void>();

  write(data: Buffer): void {
    for (const event of this.scanner.push(data)) {
      if (event.kind === 'frame') this.requests.push(decodeRequest(event.payload));
    }
  }

  onData(listener: (chunk: Buffer) => void) {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  send(data: Buffer | string): void {
    for (const listener of this.listeners) listener(Buffer.from(data));
  }

  reply(reply: Reply): void {
    this.send(encodeFrame(encodeReply(reply)));
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

const hello: Hello = { type: 'hello', seq: 0, protocolVersion: PROTOCOL_VERSION, kernelRelease: '6.1.0', agentVersion: '2.0.0' };

describe('AgentClient', () => {
  let wire: FakeWire;
  let client: AgentClient;

  beforeEach(() => {
    wire = new FakeWire();
    client = new AgentClient(wire, { requestTimeoutMs: 200 });
  });

  afterEach(() => client.close());

  it('resolves waitForHello with a HELLO that came before the wait', async () => {
    wire.send('boot noise\n');
    wire.reply(hello);
    await expect(client.waitForHello(100)).resolves.toEqual(hello);
  });

  it.each([
    ['before', PROTOCOL_VERSION - 1],
    ['after', PROTOCOL_VERSION + 1],
  ])('refuses an agent of another protocol version, and says how to get the right one (HELLO %s the wait)', async (when, version) => {
    const stale: Hello = { ...hello, protocolVersion: version };
    if (when === 'before') wire.reply(stale);
    const waiting = client.waitForHello(100);
    if (when === 'after') wire.reply(stale);

    const mismatch = new AgentProtocolMismatch(version);
    expect(mismatch.message).toBe(
      `guest agent speaks protocol ${version}, the harness speaks ${PROTOCOL_VERSION}: rebuild the image with npm run images`,
    );
    await expect(waiting).rejects.toEqual(mismatch);
    await expect(client.list()).rejects.toEqual(mismatch);
    expect(wire.requests).toEqual([]);
  });

  it('times out waiting for HELLO with the console tail in the message', async () => {
    wire.send('Kernel panic - not syncing: VFS\nlogin: ');
    const failure = client.waitForHello(20);
    await expect(failure).rejects.toBeInstanceOf(AgentTimeout);
    await expect(failure).rejects.toThrow(/Kernel panic - not syncing: VFS\nlogin: /);
  });

  it('sends one request at a time and matches replies by seq', async () => {
    const first = client.echo(Buffer.from('one'));
    const second = client.list();
    expect(wire.requests.map((request) => request.type)).toEqual(['echo']);

    const [echo] = wire.requests;
    wire.reply({ type: 'echo', seq: echo.seq, data: Buffer.from('one') });
    await expect(first).resolves.toEqual(Buffer.from('one'));

    expect(wire.requests.map((request) => request.type)).toEqual(['echo', 'list']);
    const list = wire.requests[1];
    expect(list.seq).not.toBe(echo.seq);
    wire.reply({ type: 'list', seq: list.seq, devices: [] });
    await expect(second).resolves.toEqual([]);
  });

  it('rejects with AgentError when the agent answers ERROR', async () => {
    const reply = client.kernelLog();
    wire.reply({ type: 'error', seq: wire.requests[0].seq, message: 'unknown message type 0x04' });
    await expect(reply).rejects.toEqual(new AgentError(wire.requests[0].seq, 'unknown message type 0x04'));
  });

  it('rejects a reply of the wrong type', async () => {
    const reply = client.kernelLog();
    wire.reply({ type: 'list', seq: wire.requests[0].seq, devices: [] });
    await expect(reply).rejects.toBeInstanceOf(MalformedMessage);
  });

  it('rejects a request whose reply does not decode', async () => {
    const reply = client.reset(['/dev/sg0'], 'bus');
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(wire.requests[0].seq);
    wire.send(encodeFrame(Buffer.concat([Buffer.of(0x84), seq, Buffer.of(1)])));
    await expect(reply).rejects.toBeInstanceOf(MalformedMessage);
  });

  it('times out a request, reports its late reply as unsolicited, and goes on with the next', async () => {
    const unsolicited: Reply[] = [];
    client.onUnsolicitedReply((reply) => unsolicited.push(reply));
    wire.send('sd 0:0:0:0: timing out command\n');

    const late = client.echo(Buffer.from('late'), { timeoutMs: 20 });
    const next = client.echo(Buffer.from('next'));
    await expect(late).rejects.toThrow(/no reply within 20 ms; last console lines:\nsd 0:0:0:0: timing out command/);
    await expect(late).rejects.toBeInstanceOf(AgentTimeout);

    const [lateRequest, nextRequest] = wire.requests;
    wire.reply({ type: 'echo', seq: lateRequest.seq, data: Buffer.from('late') });
    wire.reply({ type: 'echo', seq: nextRequest.seq, data: Buffer.from('next') });
    await expect(next).resolves.toEqual(Buffer.from('next'));
    expect(unsolicited).toEqual([{ type: 'echo', seq: lateRequest.seq, data: Buffer.from('late') }]);
  });

  it('restarts a request\'s timeout on each progress the agent reports, and times it out once they stop', async () => {
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const slow = client.exec([], { timeoutMs: 60 });
    const [request] = wire.requests;
    for (const done of [1, 2, 3]) {
      await wait(40);
      wire.reply({ type: 'progress', seq: request.seq, done });
    }
    await wait(40);
    wire.reply({ type: 'exec', seq: request.seq, results: [] });
    await expect(slow).resolves.toEqual([]);

    const stalled = client.exec([], { timeoutMs: 60 });
    await wait(40);
    wire.reply({ type: 'progress', seq: wire.requests[1].seq, done: 1 });
    await expect(stalled).rejects.toThrow(/exec request \d+ got no reply within 60 ms/);
  });

  it('rejects a request it cannot encode without sending it', async () => {
    await expect(client.reset(['x'.repeat(70_000)], 'device')).rejects.toBeInstanceOf(RangeError);
    await expect(client.reset([], 'device')).rejects.toBeInstanceOf(RangeError);
    expect(wire.requests).toEqual([]);
  });

  it('keeps the last 200 console lines', () => {
    const lines = Array.from({ length: 250 }, (_, index) => `line ${index}`);
    const seen: string[] = [];
    client.onConsoleLine((line) => seen.push(line));
    wire.send(`${lines.join('\n')}\n`);

    expect(seen).toEqual(lines);
    expect(client.consoleTail()).toEqual(lines.slice(50));
    expect(client.consoleTail(3)).toEqual(lines.slice(247));
  });

  it('counts corrupt frames and tells its subscribers why', () => {
    const reasons: string[] = [];
    client.onCorruptFrame((reason) => reasons.push(reason));
    wire.send('~HBAD 00000003 352441c3 YWJj\n');
    wire.send(encodeFrame(Buffer.of(0x42)));

    expect(client.corruptFrameCount).toBe(2);
    expect(reasons).toEqual(['CRC mismatch', expect.stringMatching(/^undecodable payload: /)]);
  });

  it('on close rejects what is pending and stops listening', async () => {
    const sent = client.echo(Buffer.from('a'));
    const queued = client.echo(Buffer.from('b'));
    const waiting = client.waitForHello(1000);
    client.close();

    await expect(sent).rejects.toBeInstanceOf(AgentClosed);
    await expect(queued).rejects.toBeInstanceOf(AgentClosed);
    await expect(waiting).rejects.toBeInstanceOf(AgentClosed);
    await expect(client.list()).rejects.toBeInstanceOf(AgentClosed);
    expect(wire.listenerCount).toBe(0);
  });

  it('on close with a reason rejects with that reason', async () => {
    const sent = client.echo(Buffer.from('a'));
    const reason = new Error('QEMU exited with status 1');
    client.close(reason);

    await expect(sent).rejects.toBe(reason);
    await expect(client.kernelLog()).rejects.toBe(reason);
  });
});
