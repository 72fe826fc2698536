import {
  decodeReply,
  encodeRequest,
  type ExecCommand,
  type ExecResult,
  type GuestDevice,
  type Hello,
  type KernelLogRecord,
  type LoopRequest,
  type RunRequest,
  type RunResult,
  type LoopResult,
  PROTOCOL_VERSION,
  type Reply,
  type RequestBody,
} from './messages';
import type { ResetKind } from '../scsi/reset-kind';
import { encodeFrame, FrameScanner, type ScanEvent } from './wire/frame';
import { MalformedMessage } from './wire/malformed-message';

export interface Disposable {
  dispose(): void;
}

/** The byte stream to the agent, e.g. a node-pty spawned with `encoding: null`. */
export interface AgentChannel {
  write(data: Buffer): void;
  onData(listener: (chunk: Buffer) => void): Disposable;
}

export interface AgentClientOptions {
  /** Default time a request may wait for its reply, from the moment it is sent. */
  requestTimeoutMs?: number;
  /**
   * The serial console, where the agent is not on it (it serves a virtio port): its lines still go to the
   * console tail and listeners, and a frame there still counts, so an agent that fell back to it is heard.
   */
  console?: AgentChannel;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export class AgentTimeout extends Error {
  override readonly name = 'AgentTimeout';
}

/** The agent answered a request with an ERROR reply. */
export class AgentError extends Error {
  override readonly name = 'AgentError';

  constructor(
    readonly seq: number,
    readonly agentMessage: string,
  ) {
    super(`agent rejected request ${seq}: ${agentMessage}`);
  }
}

export class AgentClosed extends Error {
  override readonly name = 'AgentClosed';
}

/** The agent said HELLO in another protocol version than this harness speaks. */
export class AgentProtocolMismatch extends Error {
  override readonly name = 'AgentProtocolMismatch';

  constructor(readonly agentProtocol: number) {
    super(
      `guest agent speaks protocol ${agentProtocol}, the harness speaks ${PROTOCOL_VERSION}: rebuild the image with npm run images`,
    );
  }
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const CONSOLE_RING_SIZE = 200;
const CONSOLE_LINES_IN_ERRORS = 30;
const MAX_SEQ = 0xffff_ffff;

interface QueuedRequest {
  seq: number;
  body: RequestBody;
  frame: Buffer;
  timeoutMs: number;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

interface SentRequest extends QueuedRequest {
  timer: NodeJS.Timeout;
}

interface HelloWaiter {
  resolve(hello: Hello): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

type ReplyTo<T extends RequestBody> = Extract<Reply, { type: T['type'] }>;

/**
 * Talks to the guest agent over its serial console: one request at a time, because the agent
 * serves them serially, each matched to its reply by sequence number.
 */
export class AgentClient {
  private readonly scanner = new FrameScanner();
  private readonly consoleScanner = new FrameScanner();
  private readonly subscriptions: Disposable[];
  private readonly requestTimeoutMs: number;
  private readonly queue: QueuedRequest[] = [];
  private sent: SentRequest | undefined;
  private lastSeq = 0;
  private helloWaiters: HelloWaiter[] = [];
  private unclaimedHello: Hello | undefined;
  private readonly consoleRing: string[] = [];
  private corruptFrames = 0;
  private closedBy: Error | undefined;

  /** Why the client closed (QemuExited when QEMU did), or undefined while it serves. */
  get closedReason(): Error | undefined {
    return this.closedBy;
  }
  private readonly consoleListeners = new Set<(line: string) => void>();
  private readonly corruptFrameListeners = new Set<(reason: string) => void>();
  private readonly unsolicitedListeners = new Set<(reply: Reply) => void>();
  private readonly sentListeners = new Set<(type: RequestBody['type']) => void>();

  constructor(
    private readonly channel: AgentChannel,
    options: AgentClientOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.subscriptions = [channel.onData((chunk) => this.receive(this.scanner, chunk))];
    if (options.console) this.subscriptions.push(options.console.onData((chunk) => this.receive(this.consoleScanner, chunk)));
  }

  /**
   * Resolves with the next HELLO, or with one that arrived before anybody waited for it. A HELLO of another
   * protocol version closes the client with AgentProtocolMismatch instead.
   */
  waitForHello(timeoutMs: number): Promise<Hello> {
    if (this.closedBy !== undefined) return Promise.reject(this.closedBy);
    const hello = this.unclaimedHello;
    if (hello !== undefined) {
      this.unclaimedHello = undefined;
      return Promise.resolve(hello);
    }
    return new Promise((resolve, reject) => {
      const waiter: HelloWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.helloWaiters = this.helloWaiters.filter((other) => other !== waiter);
          reject(new AgentTimeout(this.describeTimeout(`no HELLO within ${timeoutMs} ms`)));
        }, timeoutMs),
      };
      this.helloWaiters.push(waiter);
    });
  }

  async list(options?: RequestOptions): Promise<GuestDevice[]> {
    return (await this.request({ type: 'list' }, options)).devices;
  }

  async exec(commands: ExecCommand[], options?: RequestOptions): Promise<ExecResult[]> {
    return (await this.request({ type: 'exec', commands }, options)).results;
  }

  /** Resets each device at once, no two on one SCSI host; each device's errno, in order. */
  async reset(devices: string[], kind: ResetKind, options?: RequestOptions): Promise<number[]> {
    return (await this.request({ type: 'reset', devices, kind }, options)).errnos;
  }

  /** The kernel log records the agent has not returned before. */
  async kernelLog(options?: RequestOptions): Promise<KernelLogRecord[]> {
    return (await this.request({ type: 'klog' }, options)).records;
  }

  async poweroff(options?: RequestOptions): Promise<void> {
    await this.request({ type: 'poweroff' }, options);
  }

  async echo(data: Buffer, options?: RequestOptions): Promise<Buffer> {
    return (await this.request({ type: 'echo', data }, options)).data;
  }

  /** Runs one command `iterations` times in the guest, timing each ioctl, with no round trip between them. */
  async loop(request: LoopRequest, options?: RequestOptions): Promise<LoopResult> {
    const { errno, notGood, elapsedNs, durationsNs } = await this.request({ type: 'loop', ...request }, options);
    return { errno, notGood, elapsedNs, durationsNs };
  }

  /** Runs a program in the guest to its end; its progress reports keep the request alive however long it takes. */
  async run(request: RunRequest, options?: RequestOptions): Promise<RunResult> {
    const { status, output, truncated } = await this.request({ type: 'run', ...request }, options);
    return { status, output, truncated };
  }

  /** The last `count` complete console lines, oldest first. */
  consoleTail(count = CONSOLE_RING_SIZE): string[] {
    return count > 0 ? this.consoleRing.slice(-count) : [];
  }

  /** How many frames onCorruptFrame has reported. */
  get corruptFrameCount(): number {
    return this.corruptFrames;
  }

  onConsoleLine(listener: (line: string) => void): Disposable {
    return subscribe(this.consoleListeners, listener);
  }

  /** Frames that failed their checks, and valid frames whose payload did not decode. */
  onCorruptFrame(listener: (reason: string) => void): Disposable {
    return subscribe(this.corruptFrameListeners, listener);
  }

  /** Replies no request is waiting for: ERRORs about corrupt frames (seq 0), late replies. */
  onUnsolicitedReply(listener: (reply: Reply) => void): Disposable {
    return subscribe(this.unsolicitedListeners, listener);
  }

  /** Each request as it goes on the wire: the moment it is in flight, e.g. to inject a fault while it is. */
  onRequestSent(listener: (type: RequestBody['type']) => void): Disposable {
    return subscribe(this.sentListeners, listener);
  }

  /**
   * Stops listening to the channel and rejects everything pending, and every later call, with
   * `reason`: by default an AgentClosed, or e.g. the QEMU exit that ended the conversation.
   */
  close(reason: Error = new AgentClosed('agent client closed')): void {
    if (this.closedBy !== undefined) return;
    this.closedBy = reason;
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const waiter of this.helloWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(reason);
    }
    this.helloWaiters = [];
    if (this.sent !== undefined) {
      clearTimeout(this.sent.timer);
      this.sent.reject(reason);
      this.sent = undefined;
    }
    for (const queued of this.queue.splice(0)) queued.reject(reason);
  }

  private request<T extends RequestBody>(body: T, options: RequestOptions = {}): Promise<ReplyTo<T>> {
    if (this.closedBy !== undefined) return Promise.reject(this.closedBy);
    const seq = this.nextSeq();
    let frame: Buffer;
    try {
      frame = encodeFrame(encodeRequest({ ...body, seq }));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<ReplyTo<T>>((resolve, reject) => {
      this.queue.push({
        seq,
        body,
        frame,
        timeoutMs: options.timeoutMs ?? this.requestTimeoutMs,
        resolve: (reply) => resolve(reply as ReplyTo<T>),
        reject,
      });
      this.sendNext();
    });
  }

  private nextSeq(): number {
    this.lastSeq = this.lastSeq === MAX_SEQ ? 1 : this.lastSeq + 1;
    return this.lastSeq;
  }

  private sendNext(): void {
    if (this.sent !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.sent = { ...next, timer: this.hangTimer(next) };
    try {
      this.channel.write(next.frame);
    } catch (error) {
      this.settle(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const listener of this.sentListeners) listener(next.body.type);
  }

  /** The request's timeout counts from its sending or from the last progress the agent reported on it. */
  private hangTimer(request: QueuedRequest): NodeJS.Timeout {
    return setTimeout(() => {
      const what = `${request.body.type} request ${request.seq} got no reply within ${request.timeoutMs} ms`;
      this.settle(new AgentTimeout(this.describeTimeout(what)));
    }, request.timeoutMs);
  }

  /**
   * A batch whose commands each wait out a device's timeout may take far longer than one timeout and is not
   * hung while its commands keep finishing: each slow one the agent reports restarts the clock.
   */
  private rearm(sent: SentRequest): void {
    clearTimeout(sent.timer);
    sent.timer = this.hangTimer(sent);
  }

  /** Ends the sent request with its reply or an error, and sends the next one. */
  private settle(outcome: Reply | Error): void {
    const sent = this.sent;
    if (sent === undefined) return;
    this.sent = undefined;
    clearTimeout(sent.timer);
    if (outcome instanceof Error) sent.reject(outcome);
    else sent.resolve(outcome);
    this.sendNext();
  }

  private describeTimeout(what: string): string {
    const lines = this.consoleTail(CONSOLE_LINES_IN_ERRORS);
    const partial = this.consoleScanner.partialConsoleLine || this.scanner.partialConsoleLine;
    if (partial !== '') lines.push(partial);
    if (lines.length === 0) return `${what}; the console was silent`;
    return `${what}; last console lines:\n${lines.join('\n')}`;
  }

  private receive(scanner: FrameScanner, chunk: Buffer): void {
    for (const event of scanner.push(chunk)) this.handleEvent(event);
  }

  private handleEvent(event: ScanEvent): void {
    switch (event.kind) {
      case 'console':
        this.consoleRing.push(event.line);
        if (this.consoleRing.length > CONSOLE_RING_SIZE) this.consoleRing.shift();
        for (const listener of this.consoleListeners) listener(event.line);
        break;
      case 'corrupt':
        this.reportCorruptFrame(event.reason);
        break;
      case 'frame':
        this.handlePayload(event.payload);
        break;
    }
  }

  private reportCorruptFrame(reason: string): void {
    this.corruptFrames++;
    for (const listener of this.corruptFrameListeners) listener(reason);
  }

  private handlePayload(payload: Buffer): void {
    let reply: Reply;
    try {
      reply = decodeReply(payload);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      const seq = payload.length >= 5 ? payload.readUInt32LE(1) : 0;
      if (this.sent !== undefined && seq === this.sent.seq) this.settle(error);
      else this.reportCorruptFrame(`undecodable payload: ${error.message}`);
      return;
    }

    if (reply.type === 'hello') {
      this.handleHello(reply);
    } else if (this.sent === undefined || reply.seq !== this.sent.seq) {
      for (const listener of this.unsolicitedListeners) listener(reply);
    } else if (reply.type === 'progress') {
      this.rearm(this.sent);
    } else if (reply.type === 'error') {
      this.settle(new AgentError(reply.seq, reply.message));
    } else if (reply.type !== this.sent.body.type) {
      this.settle(new MalformedMessage(`expected a ${this.sent.body.type} reply, got ${reply.type}`));
    } else {
      this.settle(reply);
    }
  }

  private handleHello(hello: Hello): void {
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      this.close(new AgentProtocolMismatch(hello.protocolVersion));
      return;
    }
    const waiters = this.helloWaiters;
    this.helloWaiters = [];
    if (waiters.length === 0) this.unclaimedHello = hello;
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(hello);
    }
  }
}

function subscribe<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): Disposable {
  listeners.add(listener);
  return {
    dispose: () => {
      listeners.delete(listener);
    },
  };
}
