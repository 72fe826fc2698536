/** C literals as qtest test files write their arguments: integers, and strings (adjacent ones joined). */

const integerPattern = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)(?:u|l|ul|lu|ll|ull|llu)?$/i;

/** The value of an integer literal (`0x80001818`, `7`, `0x1ULL`, `-1`), or undefined if `text` is not one. */
export const integerLiteral = (text: string): bigint | undefined => {
  const negative = text.startsWith('-');
  const match = integerPattern.exec(negative ? text.slice(1).trim() : text);
  if (!match) return undefined;
  const digits = match[1];
  const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return negative ? -magnitude : magnitude;
};

const simpleEscapes: Readonly<Record<string, number>> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  '?': 0x3f,
};

/** The bytes of one literal's inside; a plain character is its UTF-8. */
const literalBytes = (inside: string): number[] | undefined => {
  const bytes: number[] = [];
  let index = 0;
  while (index < inside.length) {
    if (inside[index] !== '\\') {
      const codePoint = inside.codePointAt(index) ?? 0;
      const character = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(character, 'utf8'));
      index += character.length;
      continue;
    }
    const escape = inside[index + 1];
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(inside.slice(index + 1));
    const octal = /^[0-7]{1,3}/.exec(inside.slice(index + 1));
    if (hex) {
      bytes.push(parseInt(hex[1], 16));
      index += 1 + hex[0].length;
    } else if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      index += 1 + octal[0].length;
    } else if (escape in simpleEscapes) {
      bytes.push(simpleEscapes[escape]);
      index += 2;
    } else {
      return undefined;
    }
  }
  return bytes;
};

/**
 * The bytes of a string literal, adjacent literals joined (`"-M q35 " "-device megasas"`), without the
 * terminating NUL; undefined if `text` is not string literals alone.
 */
export const stringLiteral = (text: string): Buffer | undefined => {
  const literal = /"(?:[^"\\]|\\.)*"/g;
  const pieces = text.match(literal);
  if (!pieces || text.replace(literal, '').trim() !== '') return undefined;
  const bytes: number[] = [];
  for (const piece of pieces) {
    const inside = literalBytes(piece.slice(1, -1));
    if (!inside) return undefined;
    bytes.push(...inside);
  }
  return Buffer.from(bytes);
};
