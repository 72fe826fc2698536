import { quote } from './message-text';

// Case files hold megabytes of hex, so it is read and written by loops over character codes: regular
// expressions with repetition over such text backtrack for minutes or overflow their stack, and building
// intermediate strings costs seconds.

/** Why a hex string does not decode; the caller knows which field it came from. */
export class InvalidHex extends Error {
  override readonly name = 'InvalidHex';
}

export interface HexSyntax {
  /** Whether `XX*N` (byte XX, N times) may stand for a run of identical bytes. */
  readonly runs: boolean;
  /** Decoding stops with an error past this many bytes, before allocating them. */
  readonly maxBytes: number;
}

/** Runs at least this long are written as `XX*N`: shorter ones read as well spelled out. */
const MIN_WRITTEN_RUN = 8;

const DIGITS = '0123456789abcdef';
const STAR = 0x2a;
const SPACE = 0x20;
const NOT_HEX = -1;

/** Each character code's value as a hex digit, or NOT_HEX. */
const DIGIT_VALUES = Array.from({ length: 128 }, (_, code) =>
  DIGITS.indexOf(String.fromCharCode(code).toLowerCase()),
);

const digitValue = (code: number): number => (code < DIGIT_VALUES.length ? DIGIT_VALUES[code] : NOT_HEX);

const isSeparator = (code: number): boolean => code === SPACE || code === 0x09 || code === 0x0a || code === 0x0d;

/** A stretch of the text holding only separators and whole digit pairs, or one `XX*N` run. */
type Piece =
  | { readonly from: number; readonly to: number; readonly bytes: number }
  | { readonly byte: number; readonly bytes: number };

const notHexDigitAt = (text: string, offset: number): InvalidHex =>
  new InvalidHex(`${quote(String.fromCodePoint(text.codePointAt(offset) ?? 0))} is not a hex digit`);

const runPiece = (token: string, syntax: HexSyntax): Piece => {
  if (!syntax.runs) throw new InvalidHex(`${quote(token)} is a run (XX*N), which only data may use; write each byte`);
  const star = token.indexOf('*');
  const countText = token.slice(star + 1);
  for (let offset = 0; offset < star; offset++) {
    if (digitValue(token.charCodeAt(offset)) === NOT_HEX) throw notHexDigitAt(token, offset);
  }
  if (star !== 2) throw new InvalidHex(`run ${quote(token)} must repeat one byte, written as two hex digits`);
  if (countText === '') throw new InvalidHex(`run ${quote(token)} lacks a count after "*"`);
  if (!/^[0-9]+$/.test(countText)) throw new InvalidHex(`run ${quote(token)} has a count that is not a decimal number`);
  const count = Number(countText);
  if (count === 0) throw new InvalidHex(`run ${quote(token)} repeats its byte zero times`);
  if (count > syntax.maxBytes) {
    throw new InvalidHex(`run ${quote(token)} is over the maximum of ${syntax.maxBytes} bytes`);
  }
  return { byte: parseInt(token.slice(0, 2), 16), bytes: count };
};

/** Checks the text token by token and cuts it into pieces, without copying any of it. */
const piecesOf = (text: string, syntax: HexSyntax): Piece[] => {
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let plainBytes = 0;
  const endPlain = (to: number) => {
    if (plainBytes > 0) pieces.push({ from: plainFrom, to, bytes: plainBytes });
    plainBytes = 0;
  };
  let offset = 0;
  while (offset < text.length) {
    while (offset < text.length && isSeparator(text.charCodeAt(offset))) offset++;
    const tokenStart = offset;
    let isRun = false;
    let firstNonHex: number | undefined;
    for (; offset < text.length && !isSeparator(text.charCodeAt(offset)); offset++) {
      const code = text.charCodeAt(offset);
      if (code === STAR) isRun = true;
      else if (digitValue(code) === NOT_HEX) firstNonHex ??= offset;
    }
    if (isRun) {
      endPlain(tokenStart);
      pieces.push(runPiece(text.slice(tokenStart, offset), syntax));
      plainFrom = offset;
    } else if (firstNonHex !== undefined) {
      throw notHexDigitAt(text, firstNonHex);
    } else if ((offset - tokenStart) % 2 !== 0) {
      throw new InvalidHex(`odd number of hex digits in ${quote(text.slice(tokenStart, offset))}`);
    } else {
      plainBytes += (offset - tokenStart) / 2;
    }
  }
  endPlain(text.length);
  return pieces;
};

/** Writes a checked plain stretch's digit pairs into `bytes` from `at`. */
const decodePlain = (text: string, from: number, to: number, bytes: Buffer, at: number): void => {
  let high = NOT_HEX;
  let written = at;
  for (let offset = from; offset < to; offset++) {
    const value = digitValue(text.charCodeAt(offset));
    if (value === NOT_HEX) continue;
    if (high === NOT_HEX) {
      high = value;
    } else {
      bytes[written++] = (high << 4) | value;
      high = NOT_HEX;
    }
  }
};

/**
 * Decodes hex as case files write it: pairs of digits, spaces, tabs and newlines anywhere between pairs,
 * and where allowed `XX*N` runs, e.g. `00 01 ff*510`. The size is known and checked before anything is
 * allocated, so a short text cannot ask for a huge buffer.
 */
export const parseHex = (text: string, syntax: HexSyntax): Buffer => {
  const pieces = piecesOf(text, syntax);
  let total = 0;
  for (const piece of pieces) {
    total += piece.bytes;
    if (total > syntax.maxBytes) throw new InvalidHex(`more than the maximum of ${syntax.maxBytes} bytes`);
  }
  const bytes = Buffer.alloc(total);
  let at = 0;
  for (const piece of pieces) {
    if ('byte' in piece) bytes.fill(piece.byte, at, at + piece.bytes);
    else decodePlain(text, piece.from, piece.to, bytes, at);
    at += piece.bytes;
  }
  return bytes;
};

const DIGIT_CODES = Buffer.from(DIGITS, 'latin1');

const writePair = (byte: number, text: Buffer, at: number): void => {
  text[at] = DIGIT_CODES[byte >> 4];
  text[at + 1] = DIGIT_CODES[byte & 0x0f];
};

/** `12 00 ff`. */
export const spacedHex = (bytes: Uint8Array): string => {
  const text = Buffer.alloc(Math.max(0, bytes.length * 3 - 1), SPACE);
  bytes.forEach((byte, index) => writePair(byte, text, index * 3));
  return text.toString('latin1');
};

/** A stretch of bytes as the canonical writers cut them: plain bytes, or one byte repeated. */
export type ByteStretch = { readonly plain: Uint8Array } | { readonly byte: number; readonly count: number };

/** What `visitStretches` calls for each stretch, in order: no stretch object is made, so megabytes cost no garbage. */
export interface StretchVisitor {
  plain(start: number, end: number): void;
  run(byte: number, count: number): void;
}

/** Walks bytes as plain stretches and runs of `minRun` or more identical bytes, in order. */
export const visitStretches = (bytes: Uint8Array, minRun: number, visitor: StretchVisitor): void => {
  let plainStart = 0;
  let runStart = 0;
  while (runStart < bytes.length) {
    let runEnd = runStart + 1;
    while (runEnd < bytes.length && bytes[runEnd] === bytes[runStart]) runEnd++;
    if (runEnd - runStart >= minRun) {
      if (plainStart < runStart) visitor.plain(plainStart, runStart);
      visitor.run(bytes[runStart], runEnd - runStart);
      plainStart = runEnd;
    }
    runStart = runEnd;
  }
  if (plainStart < bytes.length) visitor.plain(plainStart, bytes.length);
};

/** Cuts bytes into plain stretches and runs of MIN_WRITTEN_RUN or more identical bytes, in order. */
export const byteStretches = (bytes: Uint8Array): ByteStretch[] => {
  const stretches: ByteStretch[] = [];
  visitStretches(bytes, MIN_WRITTEN_RUN, {
    plain: (start, end) => stretches.push({ plain: bytes.subarray(start, end) }),
    run: (byte, count) => stretches.push({ byte, count }),
  });
  return stretches;
};

/** Writes bytes as spaced lowercase hex, with runs of MIN_WRITTEN_RUN or more identical bytes as `XX*N`. */
export const formatHexWithRuns = (bytes: Uint8Array): string =>
  byteStretches(bytes)
    .map((stretch) => ('plain' in stretch ? spacedHex(stretch.plain) : `${spacedHex(Uint8Array.of(stretch.byte))}*${stretch.count}`))
    .join(' ');
