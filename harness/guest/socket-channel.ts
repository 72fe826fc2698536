import { Socket } from 'node:net';
import { connectWhenListening } from '../qemu/socket-connect';
import { AgentChannel, Disposable } from './agent-client';

/**
 * The agent's fast channel: a virtio-serial port in the guest, a chardev socket on the host. It exists
 * from QEMU's start, long before the agent says hello; what is written before the connection is made
 * waits for it.
 */
export class SocketChannel implements AgentChannel {
  private socket: Socket | undefined;
  private readonly unsent: Buffer[] = [];
  private readonly listeners = new Set<(chunk: Buffer) => void>();
  private closed = false;

  private constructor() {}

  static connect(path: string, timeoutMs: number, stillRunning: () => boolean): SocketChannel {
    const channel = new SocketChannel();
    // A channel that never connects leaves the agent silent: the boot times out with the console's last lines.
    connectWhenListening(path, timeoutMs, () => stillRunning() && !channel.closed).then(
      (socket) => channel.attach(socket),
      () => undefined,
    );
    return channel;
  }

  private attach(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const listener of this.listeners) listener(chunk);
    });
    socket.on('error', () => undefined);
    for (const data of this.unsent.splice(0)) socket.write(data);
  }

  write(data: Buffer): void {
    if (this.socket) this.socket.write(data);
    else this.unsent.push(data);
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }
}
