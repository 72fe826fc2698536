import { fc, test } from '@fast-check/jest';
import { locateJsonSyntaxError } from '../../../harness/case/json-syntax-error';

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 1, 9, 'expected a property name in double quotes, found "}"'],
    ['[1, 2,]', 1, 7, 'expected a JSON value, found "]"'],
    ['{"a" 1}', 1, 6, `expected ':' after a property name, found "1"`],
    ['[1 2]', 1, 4, `expected ',' or ']' after an array element, found "2"`],
    ['{\n  "a": tru\n}', 2, 8, 'expected a JSON value, found "t"'],
    ['"a\\qb"', 1, 3, 'invalid escape in a string, found "\\\\"'],
    ['"\\u12g4"', 1, 2, '\\u must be followed by four hex digits, found "\\\\"'],
    ['"a\tb"', 1, 3, 'control character in a string; write it as an escape such as \\n, found "\\t"'],
    ['01', 1, 2, 'unexpected text after the JSON value, found "1"'],
    ['-', 1, 2, 'expected a digit, found the end of the text'],
    ['1.', 1, 3, "expected a digit after '.', found the end of the text"],
    ['1e+', 1, 4, 'expected a digit in the exponent, found the end of the text'],
    ['\r\n\r\n  x', 3, 3, 'expected a JSON value, found "x"'],
    ['[😀]', 1, 2, 'expected a JSON value, found "😀"'],
  ])('%j: line %i, column %i: %s', (text, line, column, problem) => {
    expect(isJson(text)).toBe(false);
    expect(locateJsonSyntaxError(text)).toEqual({ line, column, problem });
  });

  test.prop([fc.jsonValue(), fc.nat(), fc.nat(3), fc.string({ unit: fc.constantFrom(...'{}[],:"\\ -.e0a\n\t') })])(
    'finds a failure wherever JSON.parse finds one, in JSON with text cut out or spliced in',
    (value, at, removed, inserted) => {
      const json = JSON.stringify(value, null, 1);
      const cut = at % (json.length + 1);
      const text = json.slice(0, cut) + inserted + json.slice(cut + removed);
      if (isJson(text)) return;
      const { problem } = locateJsonSyntaxError(text);
      expect(problem).not.toBe('not valid JSON');
      expect(problem).not.toMatch(/[\r\n\u2028\u2029]/);
    },
  );
});
