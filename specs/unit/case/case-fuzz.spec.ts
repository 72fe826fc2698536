import { fc, test } from '@fast-check/jest';
import { Case } from '../../../harness/case/case-types';
import { parseCase } from '../../../harness/case/parse-case';
import { serializeCase } from '../../../harness/case/serialize-case';
import { UserError } from '../../../harness/errors/user-error';
import { caseArb } from './case-arbitraries';

const SOURCE = 'fuzz.json';

/**
 * The loader's whole contract: a case that can be written and read back, or one short line naming the
 * file. Read back is compared as canonical text, which deep equality of megabyte buffers makes slow.
 */
const expectCaseOrOneLine = (text: string): void => {
  let parsed: Case;
  try {
    parsed = parseCase(text, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const { message } = error as UserError;
    expect(message.startsWith(`${SOURCE}:`)).toBe(true);
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(message.length).toBeLessThan(400);
    return;
  }
  const canonical = serializeCase(parsed);
  expect(serializeCase(parseCase(canonical, SOURCE))).toBe(canonical);
};

/** Values near the edges of what each field accepts, mixed with any JSON at all. */
const awkwardValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    -1, 0, 0.5, 1e300, 16777216, 16777217, 4294967296, '', ' ', 'zz', '0', 'a5*', 'a5*0', 'a5*99999999999',
    'ff*16777216', '00'.repeat(17), 'none', 'to-device', 'device', 'megasas:scsi-hd', 'megasas:scsi-hd#2',
    'virtio-scsi:scsi-hd', 'pvscsi:scsi-cd', null, [], {}, { reset: 'bus' }, 'hbadiff-case/1',
  ),
);

const FIELD_NAMES = ['format', 'paths', 'disk', 'provenance', 'steps', 'cdb', 'dir', 'length', 'data', 'timeoutMs'];
const keyArb = fc.oneof(fc.constantFrom(...FIELD_NAMES, 'reset', 'path', 'expect', 'lenght', '__proto__'), fc.string());

type Json = unknown;
type Container = Record<string, Json> | Json[];

/** Every array and object in a document, with the keys or indices it holds. */
const containersOf = (document: Json): Container[] => {
  const found: Container[] = [];
  const pending = [document];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (typeof value !== 'object' || value === null) continue;
    found.push(value as Container);
    pending.push(...Object.values(value));
  }
  return found;
};

const mutationArb = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'add', 'edit-string'),
  key: keyArb,
  value: awkwardValueArb,
  offset: fc.nat(),
  character: fc.constantFrom(...'0123456789abcdefgABF*# :x\n'),
});

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

/** Changes one value, key or string character somewhere in the document, in place. */
const mutate = (document: Json, mutation: Mutation): void => {
  // A copy, so that a value added twice cannot end up inside itself.
  const value = structuredClone(mutation.value);
  const containers = containersOf(document);
  const container = containers[mutation.at % containers.length];
  const keys = Object.keys(container);
  const emptyContainerKey = Array.isArray(container) ? '0' : mutation.key;
  const key = keys.length === 0 ? emptyContainerKey : keys[mutation.at % keys.length];
  const slot = container as Record<string, Json>;
  switch (mutation.kind) {
    case 'replace':
      slot[key] = value;
      break;
    case 'delete':
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete slot[key];
      break;
    case 'add':
      if (Array.isArray(container)) {
        container.push(value);
      } else {
        // defineProperty, so that a key named __proto__ becomes a field rather than the prototype.
        Object.defineProperty(container, mutation.key, { value, enumerable: true, writable: true, configurable: true });
      }
      break;
    case 'edit-string': {
      const text = slot[key];
      if (typeof text !== 'string') break;
      const cut = mutation.offset % (text.length + 1);
      slot[key] = text.slice(0, cut) + mutation.character + text.slice(cut + (mutation.offset % 2));
      break;
    }
  }
};

describe('parseCase on hostile input returns a case or throws one line, never anything else', () => {
  test.prop([fc.jsonValue()])('any JSON value', (value) => {
    expectCaseOrOneLine(JSON.stringify(value));
  });

  test.prop([
    fc.record(
      {
        format: fc.oneof(fc.constant('hbadiff-case/1'), awkwardValueArb),
        paths: fc.oneof(fc.array(awkwardValueArb, { maxLength: 3 }), awkwardValueArb),
        disk: fc.oneof(
          fc.record({ bytes: awkwardValueArb, content: awkwardValueArb }, { requiredKeys: [] }),
          awkwardValueArb,
        ),
        steps: fc.array(fc.dictionary(keyArb, awkwardValueArb, { maxKeys: 5 }), { maxLength: 4 }),
      },
      { requiredKeys: [] },
    ),
  ])('case-shaped objects with awkward fields', (document) => {
    expectCaseOrOneLine(JSON.stringify(document));
  });

  test.prop([caseArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })])(
    'valid cases with a few fields changed, removed or added',
    (testCase, mutations) => {
      const document: Json = JSON.parse(serializeCase(testCase));
      for (const mutation of mutations) mutate(document, mutation);
      expectCaseOrOneLine(JSON.stringify(document));
    },
  );

  test.prop([caseArb, fc.nat(), fc.nat(), fc.string({ maxLength: 3 })])(
    'valid case files with text cut out or spliced in',
    (testCase, at, removed, inserted) => {
      const text = serializeCase(testCase);
      const cut = at % (text.length + 1);
      expectCaseOrOneLine(text.slice(0, cut) + inserted + text.slice(cut + (removed % 4)));
    },
  );

  test.prop([caseArb, fc.nat()])('valid case files cut short', (testCase, at) => {
    const text = serializeCase(testCase);
    expectCaseOrOneLine(text.slice(0, at % text.length));
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

  it('nesting deeper than the call stack', () => {
    const depth = 200_000;
    expectCaseOrOneLine('['.repeat(depth));
    expectCaseOrOneLine(`${'['.repeat(depth)}${']'.repeat(depth)}`);
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
