/**
 * Just enough of C's structure to read QEMU's qtest test files: comments set apart, `void` functions and
 * their bodies, and a body's statements with the line each begins on. Not a C parser: no preprocessor, no
 * expressions; what a test file does beyond that is for the reader of the statements to refuse.
 */
export interface CStatement {
  /** The statement without its `;`, or a block's head (`if (…)`, empty for a bare block), whitespace trimmed. */
  readonly text: string;
  /** 1-based line where it begins. */
  readonly line: number;
  /** The statements of the `{ … }` it opens, if it opens one. */
  readonly block?: readonly CStatement[];
}

export interface CFunction {
  readonly name: string;
  readonly line: number;
  /** The comment right above it, without its `/*`, `*` and `*\/` decoration. */
  readonly comment?: string;
  readonly body: readonly CStatement[];
}

export class CSourceError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Offsets of the line starts, for turning an offset into a 1-based line. */
const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') starts.push(index + 1);
  return starts;
};

const lineAtOffset = (starts: readonly number[], offset: number): number => {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
};

/** The offset just past the string or character literal opening at `start`. */
const literalEnd = (code: string, start: number, lineOf: (offset: number) => number): number => {
  const quote = code[start];
  let index = start + 1;
  while (code[index] !== quote) {
    if (index >= code.length || code[index] === '\n') throw new CSourceError(lineOf(start), `a ${quote} literal is never closed`);
    index += code[index] === '\\' ? 2 : 1;
  }
  return index + 1;
};

interface Comment {
  readonly text: string;
  readonly end: number;
}

/** The offset just past the comment that begins at `start`, if one does. */
const commentEnd = (text: string, start: number, lineOf: (offset: number) => number): number | undefined => {
  if (text.startsWith('//', start)) {
    const newline = text.indexOf('\n', start);
    return newline < 0 ? text.length : newline;
  }
  if (!text.startsWith('/*', start)) return undefined;
  const close = text.indexOf('*/', start + 2);
  if (close < 0) throw new CSourceError(lineOf(start), 'a /* comment is never closed');
  return close + 2;
};

/** `text` with every comment blanked out (newlines kept, so offsets and lines stay), and the comments. */
const setCommentsApart = (text: string, lineOf: (offset: number) => number): { code: string; comments: Comment[] } => {
  let code = '';
  const comments: Comment[] = [];
  let index = 0;
  while (index < text.length) {
    const end = commentEnd(text, index, lineOf);
    if (end !== undefined) {
      const comment = text.slice(index, end);
      comments.push({ text: comment, end });
      code += comment.replace(/[^\n]/g, ' ');
      index = end;
    } else if (text[index] === '"' || text[index] === "'") {
      const end = literalEnd(text, index, lineOf);
      code += text.slice(index, end);
      index = end;
    } else {
      code += text[index];
      index += 1;
    }
  }
  return { code, comments };
};

const commentText = (comment: string): string =>
  comment
    .replace(/^\/\*+|\*+\/$|^\/\//g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trimEnd())
    .join('\n')
    .trim();

class Scanner {
  constructor(
    private readonly code: string,
    private readonly lineOf: (offset: number) => number,
  ) {}

  /** The offset of the `}` that closes the `{` at `open`. */
  closingBrace(open: number): number {
    let depth = 0;
    for (let index = open; index < this.code.length; index += 1) {
      const character = this.code[index];
      if (character === '"' || character === "'") index = literalEnd(this.code, index, this.lineOf) - 1;
      else if (character === '{') depth += 1;
      else if (character === '}' && --depth === 0) return index;
    }
    throw new CSourceError(this.lineOf(open), 'a { is never closed');
  }

  /** The statements between `start` and `end` (a block's inside). */
  statements(start: number, end: number): CStatement[] {
    const statements: CStatement[] = [];
    let from = start;
    let parentheses = 0;
    const take = (until: number): { text: string; line: number } => {
      const raw = this.code.slice(from, until);
      const leading = raw.length - raw.trimStart().length;
      return { text: raw.trim().replace(/\s+/g, ' '), line: this.lineOf(from + leading) };
    };
    for (let index = start; index < end; index += 1) {
      const character = this.code[index];
      if (character === '"' || character === "'") index = literalEnd(this.code, index, this.lineOf) - 1;
      else if (character === '(') parentheses += 1;
      else if (character === ')') parentheses -= 1;
      else if (character === ';' && parentheses === 0) {
        statements.push(take(index));
        from = index + 1;
      } else if (character === '{' && parentheses === 0) {
        const close = this.closingBrace(index);
        statements.push({ ...take(index), block: this.statements(index + 1, close) });
        index = close;
        from = close + 1;
      } else if (character === '}') {
        throw new CSourceError(this.lineOf(index), 'a } closes nothing');
      }
    }
    const rest = take(end);
    if (rest.text !== '') throw new CSourceError(rest.line, `\`${rest.text}\` is not ended by a ;`);
    return statements;
  }
}

const functionHead = /^[ \t]*(?:static[ \t]+)?(?:inline[ \t]+)?void[ \t\n]+(\w+)\s*\([^)]*\)\s*\{/gm;

/** The `void` functions of a C file, in order, each with its body's statements and the comment above it. */
export const cFunctions = (text: string): CFunction[] => {
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => lineAtOffset(starts, offset);
  const { code, comments } = setCommentsApart(text, lineOf);
  const scanner = new Scanner(code, lineOf);
  return [...code.matchAll(functionHead)].map((match) => {
    const head = match.index ?? 0;
    const open = head + match[0].length - 1;
    const above = comments.find((comment) => comment.end <= head && text.slice(comment.end, head).trim() === '');
    return {
      name: match[1],
      line: lineOf(head + match[0].length - match[0].trimStart().length),
      ...(above ? { comment: commentText(above.text) } : {}),
      body: scanner.statements(open + 1, scanner.closingBrace(open)),
    };
  });
};
