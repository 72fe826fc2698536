import { Socket } from 'node:net';
import { connectWhenListening } from './socket-connect';
import { delay } from '../process/delay';

type QmpReply = { return?: unknown; error?: { class: string; desc: string }; event?: string; id?: number };

/** A QEMU Machine Protocol connection over the unix socket the harness gave QEMU. */
export class QmpClient {
  private buffered = '';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly events: { event: string; data?: unknown }[] = [];
  private readonly listeners: ((event: string, data: unknown) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('close', () => this.failAll(new Error('QMP connection closed')));
    socket.on('error', () => undefined);
  }

  static async connect(path: string, timeoutMs: number, stillRunning: () => boolean): Promise<QmpClient> {
    const socket = await connectWhenListening(path, timeoutMs, stillRunning).catch((error: Error) => {
      throw new Error(`QMP ${error.message}`);
    });
    const client = new QmpClient(socket);
    await client.execute('qmp_capabilities');
    return client;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    const lines = this.buffered.split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as QmpReply & { QMP?: unknown; data?: unknown };
      if (message.event !== undefined) {
        this.events.push({ event: message.event, data: message.data });
        for (const listener of this.listeners) listener(message.event, message.data);
      }
      if (message.id === undefined) continue;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`QMP: ${message.error.class}: ${message.error.desc}`));
      else waiter?.resolve(message.return);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  execute<T = unknown>(command: string, args?: object): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ execute: command, arguments: args, id })}\n`);
    });
  }

  /**
   * Settles with the first event from `since` on (an index into `events`) that `matches`, or with undefined
   * after `timeoutMs`.
   */
  async waitForEvent(since: number, matches: (event: string, data: unknown) => boolean, timeoutMs: number): Promise<{ event: string; data?: unknown } | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(since).find((each) => matches(each.event, each.data));
      if (found || Date.now() > deadline) return found;
      await delay(10);
    }
  }

  /** Calls `listener` with every event QEMU sends from now on. */
  onEvent(listener: (event: string, data: unknown) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.socket.destroy();
  }
}
