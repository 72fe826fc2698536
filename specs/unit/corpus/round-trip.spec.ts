import { test } from '@fast-check/jest';
import { corpusFormats } from '../../../harness/corpus/corpus-format';
import { caseArb, guestSideCaseArb } from '../case/case-arbitraries';

/** Every corpus format reads back exactly the case it was written from: commands, annotations and all. */
describe.each(corpusFormats.map((format) => [format.name, format] as const))('the %s format', (_name, format) => {
  test.prop([format.hostEvents ? caseArb : guestSideCaseArb], { numRuns: 300 })('export then import gives the case back', (testCase) => {
    expect(format.read(format.write(testCase), `case${format.extension}`)).toEqual(testCase);
  });

  test.prop([format.hostEvents ? caseArb : guestSideCaseArb], { numRuns: 50 })('writes the same bytes for the same case', (testCase) => {
    expect(format.write(testCase).equals(format.write(format.read(format.write(testCase), 'again')))).toBe(true);
  });
});
