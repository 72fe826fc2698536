import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeValue } from '../cmdline';

/** One line of QEMU's log trace backend, `pid@seconds.micros:event args`. */
export interface TraceEvent {
  readonly name: string;
  /** Host wall-clock time, µs. */
  readonly timeUs: number;
  /** What the event printed after its name. */
  readonly args: string;
}

const linePattern = /^\d+@(\d+)\.(\d{6}):(\w+) ?(.*)$/;

export const parseTraceLine = (line: string): TraceEvent | undefined => {
  const match = linePattern.exec(line);
  return match ? { name: match[3], timeUs: Number(match[1]) * 1e6 + Number(match[2]), args: match[4] } : undefined;
};

/**
 * QEMU's trace of chosen events, in a file of its own: never on stderr, which is the pty the guest console
 * and the agent's frames share. Events are named one by one rather than by `megasas_*`, whose register
 * accesses would flood the file and slow every command down.
 */
export class QemuTrace {
  private constructor(
    readonly file: string,
    readonly qemuArgs: readonly string[],
  ) {}

  static in(directory: string, events: readonly string[]): QemuTrace {
    const eventsFile = join(directory, 'trace-events');
    const file = join(directory, 'trace.log');
    writeFileSync(eventsFile, `${[...new Set(events)].join('\n')}\n`);
    writeFileSync(file, '');
    return new QemuTrace(file, ['-msg', 'timestamp=on', '-trace', `events=${escapeValue(eventsFile)},file=${escapeValue(file)}`]);
  }

  /** Where the trace ends now: the events after it are the ones `eventsSince` returns. */
  mark(): number {
    return statSync(this.file).size;
  }

  /** The whole lines written since `mark`. */
  eventsSince(mark: number): TraceEvent[] {
    const length = statSync(this.file).size - mark;
    const buffer = Buffer.alloc(Math.max(0, length));
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, mark);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString('latin1');
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .flatMap((line) => parseTraceLine(line) ?? []);
  }
}
