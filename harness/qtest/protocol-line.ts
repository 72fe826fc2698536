/**
 * The qtest protocol's requests as QEMU's qtest.c reads them (7.2 to master): each command's arguments by
 * kind. A reproducer line is checked against this on import, so that a typo is reported at its line, not
 * answered by QEMU with `FAIL Unknown command` (or, for a missing argument, a failed g_assert).
 */
type ArgumentKind = 'number' | 'hex-data' | 'base64' | 'word';

interface CommandShape {
  readonly arguments: readonly ArgumentKind[];
  /** How many of the arguments may be left off at the end. */
  readonly optional?: number;
}

const access = { arguments: ['number'] } as const;
const store = { arguments: ['number', 'number'] } as const;

const commands: Readonly<Record<string, CommandShape>> = {
  outb: store,
  outw: store,
  outl: store,
  inb: access,
  inw: access,
  inl: access,
  writeb: store,
  writew: store,
  writel: store,
  writeq: store,
  readb: access,
  readw: access,
  readl: access,
  readq: access,
  read: store,
  b64read: store,
  write: { arguments: ['number', 'number', 'hex-data'] },
  b64write: { arguments: ['number', 'number', 'base64'] },
  memset: { arguments: ['number', 'number', 'number'] },
  clock_step: { arguments: ['number'], optional: 1 },
  clock_set: { arguments: ['number'] },
  irq_intercept_in: { arguments: ['word', 'word'], optional: 1 },
  irq_intercept_out: { arguments: ['word', 'word'], optional: 1 },
  set_irq_in: { arguments: ['word', 'word', 'number', 'number'] },
  endianness: { arguments: [] },
  module_load: { arguments: ['word', 'word'] },
};

/** qtest.c reads numbers with base 0: hexadecimal, octal or decimal, a level or offset may be negative. */
const argumentPatterns: Readonly<Record<ArgumentKind, RegExp>> = {
  number: /^-?(0x[0-9a-f]+|[0-9]+)$/i,
  'hex-data': /^0x[0-9a-f]*$/i,
  base64: /^[A-Za-z0-9+/]*={0,2}$/,
  word: /^\S+$/,
};

/** Why `line` is not a qtest request QEMU reads, or undefined when it is one. */
export const protocolLineProblem = (line: string): string | undefined => {
  const [command, ...words] = line.trim().split(/\s+/);
  const shape = commands[command];
  if (!shape) return `\`${command}\` is not a qtest command (${Object.keys(commands).join(', ')})`;
  const fewest = shape.arguments.length - (shape.optional ?? 0);
  if (words.length < fewest || words.length > shape.arguments.length) {
    const count = fewest === shape.arguments.length ? `${fewest}` : `${fewest} to ${shape.arguments.length}`;
    return `${command} takes ${count} argument(s), not ${words.length}`;
  }
  const bad = words.findIndex((word, index) => !argumentPatterns[shape.arguments[index]].test(word));
  if (bad >= 0) return `${command}: argument ${bad + 1} \`${words[bad]}\` is not a ${shape.arguments[bad]}`;
  return undefined;
};
