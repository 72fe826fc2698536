import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { systemErrorText } from '../case/load-case';
import { provenancePrefix, survivalHint } from './heredoc-layout';
import { protocolLineProblem } from './protocol-line';
import { QtestReproducer } from './reproducer';
import { ReproducerSyntaxError } from './reproducer-syntax-error';
import { ShellSyntaxError, ShellToken, shellTokens } from './shell-words';
import { splitQtestOwnArgs } from './qtest-own-args';

const forms = '`cat << EOF | qemu … -qtest stdio`, `qemu … -qtest stdio << EOF`, `qemu … -qtest stdio < FILE` or `cat FILE | qemu … -qtest stdio`';

/** Where QEMU's standard input comes from: the lines that follow, up to a delimiter, or another file. */
type Input = { readonly kind: 'heredoc'; readonly delimiter: string; readonly stripTabs: boolean } | { readonly kind: 'file'; readonly path: string };

interface Command {
  readonly qemuWords: string[];
  readonly input: Input;
}

class CommandShapeError extends Error {}

const wordAfter = (tokens: readonly ShellToken[], index: number, operator: string): string => {
  const next = tokens[index + 1];
  if (next?.kind !== 'word') throw new CommandShapeError(`\`${operator}\` is not followed by a word`);
  return next.text;
};

/** One command of a pipeline: its words, and the input redirection it has, if any. */
const stageOf = (tokens: readonly ShellToken[]): { words: string[]; input?: Input } => {
  const words: string[] = [];
  let input: Input | undefined;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token.kind === 'word') {
      words.push(token.text);
      continue;
    }
    if (!['<', '<<', '<<-'].includes(token.text)) throw new CommandShapeError(`\`${token.text}\` is not part of any of ${forms}`);
    const target = wordAfter(tokens, index, token.text);
    input = token.text === '<' ? { kind: 'file', path: target } : { kind: 'heredoc', delimiter: target, stripTabs: token.text === '<<-' };
    index += 1;
  }
  return { words, input };
};

const commandOf = (tokens: readonly ShellToken[]): Command => {
  const stages: ShellToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'operator' && token.text === '|') stages.push([]);
    else stages[stages.length - 1].push(token);
  }
  if (stages.length > 2) throw new CommandShapeError(`a pipeline of ${stages.length} commands is none of ${forms}`);
  const qemu = stageOf(stages[stages.length - 1]);
  if (stages.length === 1) {
    if (!qemu.input) throw new CommandShapeError(`QEMU reads no input: none of ${forms}`);
    return { qemuWords: qemu.words, input: qemu.input };
  }
  if (qemu.input) throw new CommandShapeError('QEMU has a pipe and a redirection for its input');
  const cat = stageOf(stages[0]);
  if (cat.words[0] !== 'cat') throw new CommandShapeError(`the pipe into QEMU starts with \`${cat.words[0] ?? stages[0][0]?.text}\`, not cat`);
  if (cat.input && cat.words.length === 1) return { qemuWords: qemu.words, input: cat.input };
  if (!cat.input && cat.words.length === 2) return { qemuWords: qemu.words, input: { kind: 'file', path: cat.words[1] } };
  throw new CommandShapeError('cat must read one heredoc or one file');
};

interface NumberedLine {
  readonly text: string;
  /** 1-based, in `file`. */
  readonly number: number;
  readonly file: string;
}

/** The heredoc's lines after the command's line `commandEnd` (0-based), and the index of its delimiter line. */
const heredocBody = (lines: readonly string[], commandEnd: number, input: Input & { kind: 'heredoc' }, file: string, commandLine: number) => {
  const body: NumberedLine[] = [];
  for (let index = commandEnd + 1; index < lines.length; index += 1) {
    const text = input.stripTabs ? lines[index].replace(/^\t+/, '') : lines[index];
    if (text === input.delimiter) return { body, end: index };
    body.push({ text, number: index + 1, file });
  }
  throw new ReproducerSyntaxError(file, commandLine, `the heredoc is never ended by a line \`${input.delimiter}\``);
};

const inputFileLines = (path: string, file: string, commandLine: number): NumberedLine[] => {
  const inputFile = resolve(dirname(file), path);
  let text: string;
  try {
    text = readFileSync(inputFile, 'utf8');
  } catch (error) {
    throw new ReproducerSyntaxError(file, commandLine, `cannot read QEMU's input ${path}: ${systemErrorText(error)}`);
  }
  return text.split('\n').map((line, index) => ({ text: line, number: index + 1, file: inputFile }));
};

/** The protocol lines, each checked; blank lines are left out, as qtest ignores them. */
const protocolLines = (body: readonly NumberedLine[]): string[] =>
  body.flatMap(({ text, number, file }) => {
    const line = text.trim();
    if (line === '') return [];
    const problem = protocolLineProblem(line);
    if (problem) throw new ReproducerSyntaxError(file, number, problem);
    return [line];
  });

/** A command's logical line: continuation lines (ending in a backslash) joined, and the index of its last line. */
const logicalLine = (lines: readonly string[], start: number): { text: string; end: number } => {
  let end = start;
  while (/(^|[^\\])(\\\\)*\\$/.test(lines[end]) && end + 1 < lines.length) end += 1;
  return { text: lines.slice(start, end + 1).join('\n'), end };
};

/** The comments above a command: where it came from, and the note; hbadiff's own hint is neither. */
const headerOf = (comments: readonly string[]): { provenance?: string; note?: string } => {
  const provenance = comments.find((line) => line.startsWith(provenancePrefix))?.slice(provenancePrefix.length);
  const noteLines = comments.filter((line) => !line.startsWith(provenancePrefix) && line !== survivalHint).map((line) => line.replace(/^# ?/, ''));
  return { provenance, note: noteLines.length > 0 ? noteLines.join('\n') : undefined };
};

/**
 * The reproducers of a shell file, each a QEMU command whose standard input is qtest's (`-qtest stdio`):
 * `cat << EOF | qemu …`, `qemu … << EOF`, `qemu … < FILE` (FILE beside it) or `cat FILE | qemu …`. The
 * comments right above a command are its note. The first reproducer is named after the file, any further
 * one after the file and its place (`name-2`).
 */
export const readHeredocReproducers = (text: string, file: string): QtestReproducer[] => {
  const lines = text.split(/\r?\n/);
  const name = basename(file, extname(file));
  const reproducers: QtestReproducer[] = [];
  let comments: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const trimmed = lines[index].trim();
    if (trimmed === '' || trimmed.startsWith('#!')) continue;
    if (trimmed.startsWith('#')) {
      comments.push(trimmed);
      continue;
    }
    const commandLine = index + 1;
    const logical = logicalLine(lines, index);
    let command: Command;
    try {
      command = commandOf(shellTokens(logical.text));
    } catch (error) {
      if (error instanceof ShellSyntaxError || error instanceof CommandShapeError) throw new ReproducerSyntaxError(file, commandLine, error.message);
      throw error;
    }
    const { args, qtestChardevs } = splitQtestOwnArgs(command.qemuWords.slice(1));
    if (!qtestChardevs.some((chardev) => chardev === 'stdio' || chardev === '/dev/stdin')) {
      throw new ReproducerSyntaxError(file, commandLine, `\`${command.qemuWords[0]}\` is not given \`-qtest stdio\`: the lines would not reach qtest`);
    }
    let body: NumberedLine[];
    if (command.input.kind === 'heredoc') {
      const heredoc = heredocBody(lines, logical.end, command.input, file, commandLine);
      body = heredoc.body;
      index = heredoc.end;
    } else {
      body = inputFileLines(command.input.path, file, commandLine);
      index = logical.end;
    }
    const header = headerOf(comments);
    comments = [];
    reproducers.push({
      name: reproducers.length === 0 ? name : `${name}-${reproducers.length + 1}`,
      qemuArgs: args,
      lines: protocolLines(body),
      provenance: header.provenance ?? `${file}:${commandLine}`,
      ...(header.note === undefined ? {} : { note: header.note }),
    });
  }
  if (reproducers.length === 0) throw new ReproducerSyntaxError(file, 1, `no QEMU command with \`-qtest stdio\` in it: none of ${forms}`);
  return reproducers;
};
