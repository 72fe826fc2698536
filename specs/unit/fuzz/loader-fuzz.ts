import { fc, test } from '@fast-check/jest';
import { UserError } from '../../../harness/errors/user-error';

/**
 * Fuzzing for anything that reads a file a user hands the harness (case files, policies, campaign
 * journals, corpora, baselines): its whole contract is a value, or one short line that names the file and
 * says what is wrong, never a stack trace, a hang or another kind of error.
 */
export interface LoaderUnderFuzz<T> {
  /** The name errors must start with, as `${source}:`. */
  readonly source: string;
  readonly parse: (text: string, source: string) => T;
  /** Texts the loader accepts, to be cut, spliced and mutated. */
  readonly validText: fc.Arbitrary<string>;
  /** The document's own field names, so that mutations hit them and not only random keys. */
  readonly fieldNames: readonly string[];
  /** Values near the edges of what its fields accept; mixed with any JSON at all. */
  readonly awkwardValues?: readonly unknown[];
  /** Checks a value the loader accepted (e.g. that it reads back the same once written). */
  readonly checkAccepted?: (value: T) => void;
}

/** Parses `text`, expecting either a value (checked by checkAccepted) or a one-line UserError naming the source. */
export const expectValueOrOneLine = <T>(loader: Pick<LoaderUnderFuzz<T>, 'source' | 'parse' | 'checkAccepted'>, text: string): void => {
  let value: T;
  try {
    value = loader.parse(text, loader.source);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const { message } = error as UserError;
    expect(message.startsWith(`${loader.source}`)).toBe(true);
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(message.length).toBeLessThan(400);
    return;
  }
  loader.checkAccepted?.(value);
};

export const awkwardValueArb = (edges: readonly unknown[] = []): fc.Arbitrary<unknown> =>
  fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0, 0.5, 1e300, 2 ** 53, '', ' ', null, [], {}, '__proto__', ...edges));

type Json = unknown;
type Container = Record<string, Json> | Json[];

/** Every array and object in a document. */
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

export const mutationArb = (fieldNames: readonly string[], edges: readonly unknown[] = []) =>
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'delete', 'add', 'edit-string'),
    key: fc.oneof(fc.constantFrom(...fieldNames, '__proto__'), fc.string()),
    value: awkwardValueArb(edges),
    offset: fc.nat(),
    character: fc.constantFrom(...'0123456789abcdefgABF*# :x\n'),
  });

export type Mutation = ReturnType<typeof mutationArb> extends fc.Arbitrary<infer T> ? T : never;

/** Changes one value, key or string character somewhere in the document, in place. */
export const mutate = (document: Json, mutation: Mutation): void => {
  // A copy, so that a value added twice cannot end up inside itself.
  const value = structuredClone(mutation.value);
  const containers = containersOf(document);
  if (containers.length === 0) return;
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

/**
 * The properties every loader must have, as one describe block: any JSON value; valid documents with
 * fields changed, removed or added, values of the wrong type among them; valid texts with bytes cut out,
 * spliced in or cut short; nesting deeper than the call stack.
 */
export const describeLoaderFuzz = <T>(name: string, loader: LoaderUnderFuzz<T>): void => {
  const edges = loader.awkwardValues ?? [];
  describe(`${name} on hostile input returns a value or throws one line, never anything else`, () => {
    test.prop([fc.jsonValue()])('any JSON value', (value) => {
      expectValueOrOneLine(loader, JSON.stringify(value));
    });

    test.prop([fc.dictionary(fc.constantFrom(...loader.fieldNames), awkwardValueArb(edges), { maxKeys: loader.fieldNames.length })])(
      'objects of its own fields with awkward values',
      (document) => {
        expectValueOrOneLine(loader, JSON.stringify(document));
      },
    );

    test.prop([loader.validText, fc.array(mutationArb(loader.fieldNames, edges), { minLength: 1, maxLength: 3 })])(
      'valid documents with a few fields changed, removed or added',
      (text, mutations) => {
        const document: Json = JSON.parse(text);
        for (const mutation of mutations) mutate(document, mutation);
        expectValueOrOneLine(loader, JSON.stringify(document));
      },
    );

    test.prop([loader.validText, fc.nat(), fc.nat(), fc.string({ maxLength: 3 })])(
      'valid texts with text cut out or spliced in',
      (text, at, removed, inserted) => {
        const cut = at % (text.length + 1);
        expectValueOrOneLine(loader, text.slice(0, cut) + inserted + text.slice(cut + (removed % 4)));
      },
    );

    test.prop([loader.validText, fc.nat()])('valid texts cut short', (text, at) => {
      expectValueOrOneLine(loader, text.slice(0, at % (text.length + 1)));
    });

    it('nesting deeper than the call stack', () => {
      const depth = 200_000;
      expectValueOrOneLine(loader, '['.repeat(depth));
      expectValueOrOneLine(loader, `${'['.repeat(depth)}${']'.repeat(depth)}`);
      expectValueOrOneLine(loader, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    });
  });
};
