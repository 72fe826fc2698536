import { crc32 } from 'node:zlib';

// Frames as docs/agent-protocol.md defines them: `~HBAD LLLLLLLL CCCCCCCC <base64>\n`.

export const FRAME_MARKER = Buffer.from('~HBAD ', 'latin1');
export const MAX_PAYLOAD_LENGTH = 0x0100_0000;
/** Longer console lines are split, so that a stream without newlines cannot grow memory. */
export const MAX_CONSOLE_LINE_LENGTH = 4096;

const LENGTH_FIELD_END = FRAME_MARKER.length + 8;
const HEADER_LENGTH = LENGTH_FIELD_END + 1 + 8 + 1;
const MAX_CARRIAGE_RETURNS = 2;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const PADDING = 0x3d;

export type ScanEvent =
  | { kind: 'frame'; payload: Buffer }
  | { kind: 'corrupt'; reason: string }
  | { kind: 'console'; line: string };

export function encodeFrame(payload: Buffer): Buffer {
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new RangeError(`payload of ${payload.length} bytes exceeds the maximum of ${MAX_PAYLOAD_LENGTH}`);
  }
  const header = `${FRAME_MARKER.toString('latin1')}${hex8(payload.length)} ${hex8(crc32(payload))} `;
  return Buffer.from(`${header}${payload.toString('base64')}\n`, 'latin1');
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function byteTable(characters: string): Uint8Array {
  const table = new Uint8Array(256);
  for (const character of characters) table[character.charCodeAt(0)] = 1;
  return table;
}

const HEX_DIGITS = byteTable('0123456789abcdefABCDEF');
const BASE64_ALPHABET = byteTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

function encodedLength(payloadLength: number): number {
  return 4 * Math.ceil(payloadLength / 3);
}

type ScanState = 'console' | 'header' | 'body' | 'terminator';

/**
 * Splits a byte stream into frames, corrupt frames and console lines, in stream order.
 *
 * A frame candidate holds at most one maximum-size frame; bytes of a candidate that turns out
 * corrupt become console text (they contain no marker, so rescanning them could find none).
 */
export class FrameScanner {
  private state: ScanState = 'console';
  private markerMatched = 0;
  private readonly header = Buffer.alloc(HEADER_LENGTH);
  private headerLength = 0;
  private payloadLength = 0;
  private bodyLength = 0;
  /** Copied rather than kept as slices of the chunks, which may be tiny and many. */
  private body = Buffer.alloc(0);
  private bodyReceived = 0;
  private carriageReturns = 0;
  private readonly line = Buffer.alloc(MAX_CONSOLE_LINE_LENGTH);
  private lineLength = 0;
  private events: ScanEvent[] = [];

  push(chunk: Buffer): ScanEvent[] {
    let index = 0;
    while (index < chunk.length) {
      switch (this.state) {
        case 'console':
          index = this.scanConsole(chunk, index);
          break;
        case 'header':
          index = this.scanHeader(chunk, index);
          break;
        case 'body':
          index = this.scanBody(chunk, index);
          break;
        case 'terminator':
          index = this.scanTerminator(chunk, index);
          break;
      }
    }
    const events = this.events;
    this.events = [];
    return events;
  }

  /** The console line received so far without its newline, e.g. a login prompt. */
  get partialConsoleLine(): string {
    return this.line.toString('utf8', 0, this.lineLength);
  }

  private scanConsole(chunk: Buffer, start: number): number {
    let index = start;
    while (index < chunk.length) {
      const byte = chunk[index];
      if (byte === FRAME_MARKER[this.markerMatched]) {
        this.markerMatched++;
        index++;
        if (this.markerMatched === FRAME_MARKER.length) {
          this.openCandidate();
          return index;
        }
      } else if (this.markerMatched > 0) {
        this.appendConsole(FRAME_MARKER.subarray(0, this.markerMatched));
        this.markerMatched = 0;
      } else {
        const nextMarker = chunk.indexOf(FRAME_MARKER[0], index);
        const end = nextMarker < 0 ? chunk.length : nextMarker;
        this.appendConsole(chunk.subarray(index, end));
        index = end;
      }
    }
    return index;
  }

  private openCandidate(): void {
    this.markerMatched = 0;
    this.flushLine();
    FRAME_MARKER.copy(this.header);
    this.headerLength = FRAME_MARKER.length;
    this.state = 'header';
  }

  private scanHeader(chunk: Buffer, start: number): number {
    let index = start;
    while (index < chunk.length && this.headerLength < HEADER_LENGTH) {
      const byte = chunk[index];
      const separator = this.headerLength === LENGTH_FIELD_END || this.headerLength === HEADER_LENGTH - 1;
      if (separator ? byte !== SPACE : HEX_DIGITS[byte] === 0) {
        this.reject(separator ? 'missing space after a header field' : 'non-hex digit in the header');
        return index;
      }
      this.header[this.headerLength++] = byte;
      index++;
      if (this.headerLength === LENGTH_FIELD_END) {
        this.payloadLength = this.headerField(FRAME_MARKER.length);
        if (this.payloadLength > MAX_PAYLOAD_LENGTH) {
          this.reject(`length ${this.payloadLength} over the maximum payload`);
          return index;
        }
      }
    }
    if (this.headerLength === HEADER_LENGTH) {
      this.bodyLength = encodedLength(this.payloadLength);
      this.bodyReceived = 0;
      this.carriageReturns = 0;
      this.state = this.bodyLength > 0 ? 'body' : 'terminator';
    }
    return index;
  }

  private scanBody(chunk: Buffer, start: number): number {
    const paddingStart = this.bodyLength - ((3 - (this.payloadLength % 3)) % 3);
    let index = start;
    let received = this.bodyReceived;
    let reason: string | undefined;
    for (; index < chunk.length && received < this.bodyLength; index++, received++) {
      const byte = chunk[index];
      if (received >= paddingStart ? byte !== PADDING : BASE64_ALPHABET[byte] === 0) {
        reason = received >= paddingStart ? 'bad base64 padding' : 'character outside the base64 alphabet';
        break;
      }
    }
    this.reserveBody(received);
    chunk.copy(this.body, this.bodyReceived, start, index);
    this.bodyReceived = received;
    if (reason !== undefined) this.reject(reason);
    else if (received === this.bodyLength) this.state = 'terminator';
    return index;
  }

  private reserveBody(length: number): void {
    if (this.body.length >= length) return;
    const grown = Buffer.alloc(Math.min(this.bodyLength, Math.max(length, 2 * this.body.length)));
    this.body.copy(grown, 0, 0, this.bodyReceived);
    this.body = grown;
  }

  private scanTerminator(chunk: Buffer, index: number): number {
    const byte = chunk[index];
    if (byte === CARRIAGE_RETURN && this.carriageReturns < MAX_CARRIAGE_RETURNS) {
      this.carriageReturns++;
      return index + 1;
    }
    if (byte !== NEWLINE) {
      this.reject('missing terminator');
      return index;
    }
    this.completeCandidate();
    return index + 1;
  }

  private completeCandidate(): void {
    const text = this.body.toString('latin1', 0, this.bodyLength);
    const payload = Buffer.from(text, 'base64');
    if (payload.toString('base64') !== text) {
      this.reject('non-canonical base64', true);
    } else if (crc32(payload) !== this.headerField(LENGTH_FIELD_END + 1)) {
      this.reject('CRC mismatch', true);
    } else {
      this.events.push({ kind: 'frame', payload });
      this.closeCandidate();
    }
  }

  private headerField(offset: number): number {
    return Number.parseInt(this.header.toString('latin1', offset, offset + 8), 16);
  }

  /** Ends the candidate as corrupt; its bytes become console text, and scanning goes on after them. */
  private reject(reason: string, terminated = false): void {
    this.events.push({ kind: 'corrupt', reason });
    this.appendConsole(this.header.subarray(0, this.headerLength));
    if (this.state === 'body' || this.state === 'terminator') {
      this.appendConsole(this.body.subarray(0, this.bodyReceived));
    }
    if (this.state === 'terminator') {
      this.appendConsole(Buffer.alloc(this.carriageReturns, CARRIAGE_RETURN));
      if (terminated) this.appendConsole(Buffer.of(NEWLINE));
    }
    this.closeCandidate();
  }

  private closeCandidate(): void {
    this.body = Buffer.alloc(0);
    this.headerLength = 0;
    this.state = 'console';
  }

  private appendConsole(bytes: Buffer): void {
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index];
      if (byte === NEWLINE) {
        this.emitLine();
        continue;
      }
      if (this.lineLength === MAX_CONSOLE_LINE_LENGTH) this.emitLine();
      this.line[this.lineLength++] = byte;
    }
  }

  private flushLine(): void {
    if (this.lineLength > 0) this.emitLine();
  }

  private emitLine(): void {
    let end = this.lineLength;
    while (end > 0 && this.line[end - 1] === CARRIAGE_RETURN) end--;
    this.events.push({ kind: 'console', line: this.line.toString('utf8', 0, end) });
    this.lineLength = 0;
  }
}
