/** One line of a description: a key and its value, or a key heading more entries indented below it. */
export type TextEntry = readonly [key: string, value: string | readonly TextEntry[]];

const render = (entries: readonly TextEntry[], indent: string): string[] =>
  entries.flatMap(([key, value]) =>
    typeof value === 'string' ? [`${indent}${key}: ${value}`] : [`${indent}${key}:`, ...render(value, `${indent}  `)],
  );

/** A title line and its entries as indented `key: value` lines: how every decoded structure prints. */
export const keyValueText = (title: string, entries: readonly TextEntry[]): string => [title, ...render(entries, '  ')].join('\n');
