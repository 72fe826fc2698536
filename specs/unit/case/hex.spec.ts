import { test } from '@fast-check/jest';
import { formatHexWithRuns, InvalidHex, parseHex } from '../../../harness/case/hex';
import { bytesWithRunsArb } from './case-arbitraries';

const data = { runs: true, maxBytes: 1 << 20 };
const cdbSyntax = { runs: false, maxBytes: 64 };

const problemOf = (text: string, syntax = data): string => {
  try {
    parseHex(text, syntax);
  } catch (error) {
    if (error instanceof InvalidHex) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(text)} decoded`);
};

describe('parseHex', () => {
  it('reads digit pairs with any whitespace between pairs, in either case', () => {
    expect(parseHex('12 00\t0a\n FF', cdbSyntax)).toEqual(Buffer.from([0x12, 0, 0x0a, 0xff]));
    expect(parseHex('120000', cdbSyntax)).toEqual(Buffer.from([0x12, 0, 0]));
    expect(parseHex('', cdbSyntax)).toEqual(Buffer.alloc(0));
  });

  it('reads runs, alone and combined', () => {
    expect(parseHex('a5*512', data)).toEqual(Buffer.alloc(512, 0xa5));
    expect(parseHex('00 01 ff*510', data)).toEqual(Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(510, 0xff)]));
    expect(parseHex('a5*512 5a*512', data)).toEqual(Buffer.concat([Buffer.alloc(512, 0xa5), Buffer.alloc(512, 0x5a)]));
  });

  it.each([
    ['a5a', 'odd number of hex digits in "a5a"'],
    ['12 0g', '"g" is not a hex digit'],
    ['12 €', '"€" is not a hex digit'],
    ['a5*', 'run "a5*" lacks a count after "*"'],
    ['a5*0', 'run "a5*0" repeats its byte zero times'],
    ['a5*2000000', 'run "a5*2000000" is over the maximum of 1048576 bytes'],
    ['a5*1e3', 'run "a5*1e3" has a count that is not a decimal number'],
    ['a5a5*4', 'run "a5a5*4" must repeat one byte, written as two hex digits'],
    ['*4', 'run "*4" must repeat one byte, written as two hex digits'],
    ['g5*4', '"g" is not a hex digit'],
    ['a5*1048576 00', 'more than the maximum of 1048576 bytes'],
  ])('refuses %j: %s', (text, problem) => {
    expect(problemOf(text)).toBe(problem);
  });

  it('refuses runs where the syntax has none', () => {
    expect(problemOf('00*6', cdbSyntax)).toBe('"00*6" is a run (XX*N), which only data may use; write each byte');
  });

  it('quotes a long bad token cut short, on one line', () => {
    expect(problemOf(`${'ab'.repeat(100)}c`)).toBe(`odd number of hex digits in "${'ab'.repeat(20)}…"`);
  });
});

describe('formatHexWithRuns', () => {
  it('writes runs of 8 or more identical bytes as XX*N and shorter ones byte by byte', () => {
    expect(formatHexWithRuns(Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(510, 0xff)]))).toBe('00 01 ff*510');
    expect(formatHexWithRuns(Buffer.alloc(7, 0xa5))).toBe('a5 a5 a5 a5 a5 a5 a5');
    expect(formatHexWithRuns(Buffer.alloc(8, 0xa5))).toBe('a5*8');
    expect(formatHexWithRuns(Buffer.from([1, ...Array<number>(9).fill(0), 2, 3]))).toBe('01 00*9 02 03');
    expect(formatHexWithRuns(Buffer.alloc(0))).toBe('');
  });

  test.prop([bytesWithRunsArb(10)])('reads back as the same bytes', (bytes) => {
    expect(parseHex(formatHexWithRuns(bytes), data)).toEqual(bytes);
  });
});
