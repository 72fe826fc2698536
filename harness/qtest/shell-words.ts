/**
 * A shell command line split as sh splits it, for the part of sh that reproducers use: words with '…', "…"
 * and backslash quoting, backslash-newline continuations, and the operators between commands and
 * redirections. Nothing is expanded: `$QEMU` stays a word.
 */
export type ShellToken = { readonly kind: 'word'; readonly text: string } | { readonly kind: 'operator'; readonly text: string };

/** Longest first, so that `<<-` is not read as `<<` then `-`. */
const operators = ['<<-', '<<', '&&', '||', '>>', '|', '<', '>', ';', '&'];

export class ShellSyntaxError extends Error {}

const isBlank = (character: string): boolean => character === ' ' || character === '\t' || character === '\n';

/** The tokens of `command`; a `#` at the start of a word begins a comment to the end. */
export const shellTokens = (command: string): ShellToken[] => {
  const tokens: ShellToken[] = [];
  let word: string | undefined;
  const endWord = (): void => {
    if (word !== undefined) tokens.push({ kind: 'word', text: word });
    word = undefined;
  };
  let index = 0;
  while (index < command.length) {
    const character = command[index];
    if (character === '\\') {
      const next = command[index + 1];
      if (next === undefined) throw new ShellSyntaxError('a backslash ends the command');
      if (next !== '\n') word = (word ?? '') + next;
      index += 2;
    } else if (character === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) throw new ShellSyntaxError("a ' is never closed");
      word = (word ?? '') + command.slice(index + 1, end);
      index = end + 1;
    } else if (character === '"') {
      let text = '';
      index += 1;
      while (command[index] !== '"') {
        if (index >= command.length) throw new ShellSyntaxError('a " is never closed');
        // Inside double quotes a backslash quotes only these; before anything else it is itself.
        if (command[index] === '\\' && '"\\$`\n'.includes(command[index + 1] ?? '')) {
          if (command[index + 1] !== '\n') text += command[index + 1];
          index += 2;
        } else {
          text += command[index];
          index += 1;
        }
      }
      word = (word ?? '') + text;
      index += 1;
    } else if (isBlank(character)) {
      endWord();
      index += 1;
    } else if (character === '#' && word === undefined) {
      break;
    } else {
      const operator = operators.find((candidate) => command.startsWith(candidate, index));
      if (operator) {
        endWord();
        tokens.push({ kind: 'operator', text: operator });
        index += operator.length;
      } else {
        word = (word ?? '') + character;
        index += 1;
      }
    }
  }
  endWord();
  return tokens;
};

/** Just the words of `command`, which must have no operators (libqtest hands its arguments to sh this way). */
export const shellWords = (command: string): string[] =>
  shellTokens(command).map((token) => {
    if (token.kind === 'operator') throw new ShellSyntaxError(`\`${token.text}\` where only arguments may be`);
    return token.text;
  });

const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `word` as sh reads it back as one word. */
export const shellQuote = (word: string): string => (safeWord.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
