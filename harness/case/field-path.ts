import { quote } from './message-text';

/** Where in a case document a value sits: property names and array indices from the root. */
export type FieldPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,39}$/;

/** Writes a field path the way the documentation and the messages name fields: `steps[1].data`, `["a b"]`. */
export const formatFieldPath = (path: FieldPath): string =>
  path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!IDENTIFIER.test(segment)) return `[${quote(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');

/**
 * Turns a JSON Pointer into a field path, looking at the document to tell an array index from a property
 * whose name is a number.
 */
export const fieldPathFromPointer = (document: unknown, pointer: string): FieldPath => {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let container = document;
  for (const token of pointer.slice(1).split('/')) {
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(container) ? Number(name) : name;
    path.push(segment);
    container = (container as Record<string | number, unknown> | undefined)?.[segment];
  }
  return path;
};
