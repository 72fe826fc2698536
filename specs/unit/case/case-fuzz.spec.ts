import { fc, test } from '@fast-check/jest';
import { Case } from '../../../harness/case/case-types';
import { parseCase } from '../../../harness/case/parse-case';
import { serializeCase } from '../../../harness/case/serialize-case';
import { awkwardValueArb, describeLoaderFuzz, expectValueOrOneLine, LoaderUnderFuzz } from '../fuzz/loader-fuzz';
import { caseArb } from './case-arbitraries';

/** Values near the edges of what each field accepts. */
const AWKWARD_VALUES = [
  16777216, 16777217, 4294967296, 'zz', '0', 'a5*', 'a5*0', 'a5*99999999999', 'ff*16777216', '00'.repeat(17), 'none',
  'to-device', 'device', 'megasas:scsi-hd', 'megasas:scsi-hd#2', 'virtio-scsi:scsi-hd', 'pvscsi:scsi-cd',
  { reset: 'bus' }, 'hbadiff-case/1',
];

const FIELD_NAMES = ['format', 'paths', 'disk', 'provenance', 'steps', 'cdb', 'dir', 'length', 'data', 'timeoutMs', 'reset', 'path', 'expect', 'lenght'];

/**
 * The loader's whole contract: a case that can be written and read back, or one short line naming the
 * file. Read back is compared as canonical text, which deep equality of megabyte buffers makes slow.
 */
const caseLoader: LoaderUnderFuzz<Case> = {
  source: 'fuzz.json',
  parse: parseCase,
  validText: caseArb.map(serializeCase),
  fieldNames: FIELD_NAMES,
  awkwardValues: AWKWARD_VALUES,
  checkAccepted: (parsed) => {
    const canonical = serializeCase(parsed);
    expect(serializeCase(parseCase(canonical, 'fuzz.json'))).toBe(canonical);
  },
};

const expectCaseOrOneLine = (text: string): void => expectValueOrOneLine(caseLoader, text);
const awkward = awkwardValueArb(AWKWARD_VALUES);
const keyArb = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string());

describeLoaderFuzz('parseCase', caseLoader);

describe('parseCase on case-shaped input', () => {
  test.prop([
    fc.record(
      {
        format: fc.oneof(fc.constant('hbadiff-case/1'), awkward),
        paths: fc.oneof(fc.array(awkward, { maxLength: 3 }), awkward),
        disk: fc.oneof(
          fc.record({ bytes: awkward, content: awkward }, { requiredKeys: [] }),
          awkward,
        ),
        steps: fc.array(fc.dictionary(keyArb, awkward, { maxKeys: 5 }), { maxLength: 4 }),
      },
      { requiredKeys: [] },
    ),
  ])('case-shaped objects with awkward fields', (document) => {
    expectCaseOrOneLine(JSON.stringify(document));
  });

  it('every truncation of a hand-written case', () => {
    const text = JSON.stringify({
      format: 'hbadiff-case/1',
      paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'],
      disk: { bytes: 8388608, content: 'pattern' },
      provenance: { seed: 3, note: 'é\u2028' },
      steps: [
        { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 255, timeoutMs: 100, expect: { s: [1, { t: null }] } },
        { cdb: '2a 00 00 00 00 10 00 00 01 00', dir: 'to-device', length: 512, data: '00 01 ff*510' },
        { reset: 'device', path: 'megasas:scsi-hd' },
      ],
    });
    for (let length = 0; length < text.length; length++) expectCaseOrOneLine(text.slice(0, length));
  });

  it('an expectation nested deeper than the call stack', () => {
    const depth = 200_000;
    const deepExpect = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expectCaseOrOneLine(`{"format":"hbadiff-case/1","steps":[{"reset":"bus","expect":${deepExpect}}]}`);
  });

  it('large buffers and long strings', () => {
    expectCaseOrOneLine(
      JSON.stringify({
        format: 'hbadiff-case/1',
        steps: [{ cdb: '2a'.padEnd(29, ' 00'), dir: 'to-device', length: 16777216, data: 'a5*8388608 5a*8388608' }],
      }),
    );
    expectCaseOrOneLine(JSON.stringify({ format: 'hbadiff-case/1', steps: [{ cdb: 'x'.repeat(1e6), dir: 'none' }] }));
    expectCaseOrOneLine(JSON.stringify({ format: 'hbadiff-case/1', steps: [{ ['k'.repeat(1e5)]: 1 }] }));
  });
});
