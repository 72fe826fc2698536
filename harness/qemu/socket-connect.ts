import { connect, Socket } from 'node:net';
import { delay } from '../process/delay';

/**
 * Connects to a unix socket QEMU listens on (QMP, a chardev): QEMU creates it early in start-up, so retry
 * until it answers, QEMU is gone, or `timeoutMs` passes.
 */
export const connectWhenListening = async (path: string, timeoutMs: number, stillRunning: () => boolean): Promise<Socket> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = await new Promise<Socket | Error>((done) => {
      const candidate = connect(path);
      candidate.once('connect', () => done(candidate));
      candidate.once('error', done);
    });
    if (socket instanceof Socket) return socket;
    if (!stillRunning() || Date.now() > deadline) throw new Error(`socket ${path}: ${socket.message}`);
    await delay(10);
  }
};
