import { quote } from './message-text';

export interface JsonSyntaxError {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const LITERALS = ['true', 'false', 'null'];

class ScanFailure extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * Finds where JSON.parse gave up and says why in words of its own: V8's messages vary between versions,
 * give no position for some errors and quote the input, newlines and all. The scanner keeps its own stack
 * of open containers instead of recursing, so deep nesting cannot overflow the call stack.
 */
class JsonScanner {
  private offset = 0;
  private readonly open: ('object' | 'array')[] = [];

  constructor(private readonly text: string) {}

  firstFailure(): ScanFailure | undefined {
    try {
      this.scanDocument();
      return undefined;
    } catch (failure) {
      if (failure instanceof ScanFailure) return failure;
      throw failure;
    }
  }

  private scanDocument(): void {
    this.skipWhitespace();
    for (;;) {
      if (this.scanValueOrOpen()) continue;
      if (!this.scanAfterValue()) return;
    }
  }

  /** Returns true when it opened a container whose first element or property comes next. */
  private scanValueOrOpen(): boolean {
    const character = this.text[this.offset];
    if (character === '{') {
      this.offset++;
      this.skipWhitespace();
      if (this.text[this.offset] === '}') {
        this.offset++;
        return false;
      }
      this.open.push('object');
      this.scanPropertyName();
      return true;
    }
    if (character === '[') {
      this.offset++;
      this.skipWhitespace();
      if (this.text[this.offset] === ']') {
        this.offset++;
        return false;
      }
      this.open.push('array');
      return true;
    }
    if (character === '"') this.scanString();
    else if (character === '-' || isDigit(character)) this.scanNumber();
    else this.scanLiteral();
    return false;
  }

  /** After a complete value: returns false when the document ended properly. */
  private scanAfterValue(): boolean {
    for (;;) {
      this.skipWhitespace();
      const container = this.open[this.open.length - 1];
      const character = this.text[this.offset];
      if (container === undefined) {
        if (character === undefined) return false;
        this.fail('unexpected text after the JSON value');
      }
      const close = container === 'object' ? '}' : ']';
      if (character === ',') {
        this.offset++;
        this.skipWhitespace();
        if (container === 'object') this.scanPropertyName();
        return true;
      }
      if (character !== close) {
        const previous = container === 'object' ? 'a property value' : 'an array element';
        this.fail(`expected ',' or '${close}' after ${previous}`);
      }
      this.offset++;
      this.open.pop();
    }
  }

  private scanPropertyName(): void {
    if (this.text[this.offset] !== '"') this.fail('expected a property name in double quotes');
    this.scanString();
    this.skipWhitespace();
    if (this.text[this.offset] !== ':') this.fail("expected ':' after a property name");
    this.offset++;
    this.skipWhitespace();
  }

  private scanString(): void {
    const start = this.offset;
    this.offset++;
    for (;;) {
      const character = this.text[this.offset];
      if (character === undefined) throw new ScanFailure(start, 'string never closed');
      if (character === '"') break;
      if (character < ' ') this.fail('control character in a string; write it as an escape such as \\n');
      if (character === '\\') this.scanEscape();
      else this.offset++;
    }
    this.offset++;
  }

  private scanEscape(): void {
    const escaped = this.text[this.offset + 1];
    if (escaped === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) {
        this.fail('\\u must be followed by four hex digits');
      }
      this.offset += 6;
    } else if (escaped !== undefined && SIMPLE_ESCAPES.has(escaped)) {
      this.offset += 2;
    } else {
      this.fail('invalid escape in a string');
    }
  }

  private scanNumber(): void {
    if (this.text[this.offset] === '-') this.offset++;
    if (this.text[this.offset] === '0') this.offset++;
    else this.scanDigits('expected a digit');
    if (this.text[this.offset] === '.') {
      this.offset++;
      this.scanDigits("expected a digit after '.'");
    }
    if (this.text[this.offset] === 'e' || this.text[this.offset] === 'E') {
      this.offset++;
      if (this.text[this.offset] === '+' || this.text[this.offset] === '-') this.offset++;
      this.scanDigits('expected a digit in the exponent');
    }
  }

  private scanDigits(problem: string): void {
    if (!isDigit(this.text[this.offset])) this.fail(problem);
    while (isDigit(this.text[this.offset])) this.offset++;
  }

  private scanLiteral(): void {
    const literal = LITERALS.find((candidate) => this.text.startsWith(candidate, this.offset));
    if (literal === undefined) this.fail('expected a JSON value');
    this.offset += literal.length;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.offset] ?? '')) this.offset++;
  }

  private fail(problem: string): never {
    const found = this.text.codePointAt(this.offset);
    const what = found === undefined ? 'the end of the text' : quote(String.fromCodePoint(found));
    throw new ScanFailure(this.offset, `${problem}, found ${what}`);
  }
}

const isDigit = (character: string | undefined): boolean =>
  character !== undefined && character >= '0' && character <= '9';

const lineAndColumn = (text: string, offset: number): { line: number; column: number } => {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', lineStart)) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
};

/** Call only for text JSON.parse rejected. */
export const locateJsonSyntaxError = (text: string): JsonSyntaxError => {
  const failure = new JsonScanner(text).firstFailure();
  return { ...lineAndColumn(text, failure?.offset ?? text.length), problem: failure?.problem ?? 'not valid JSON' };
};
