const MAX_QUOTED_CHARACTERS = 40;

/**
 * Quotes text taken from a case file for a one-line message: JSON escapes keep control characters and
 * line breaks out of the line, and long text is cut so that a bad 16 MiB string does not become the message.
 */
export const quote = (text: string): string => {
  const shown = text.length > MAX_QUOTED_CHARACTERS ? `${text.slice(0, MAX_QUOTED_CHARACTERS)}…` : text;
  // JSON.stringify leaves U+2028 and U+2029 alone, and terminals break lines on them.
  return JSON.stringify(shown).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
};

/** A JSON value as a message names what was found instead of what was wanted. */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
};
