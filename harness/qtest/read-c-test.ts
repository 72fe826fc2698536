import { integerLiteral, stringLiteral } from './c-literals';
import { CFunction, CSourceError, CStatement, cFunctions } from './c-source';
import { CallArguments, qtestCallLines } from './qtest-call-lines';
import { QtestReproducer } from './reproducer';
import { ReproducerSyntaxError } from './reproducer-syntax-error';
import { ShellSyntaxError, shellWords } from './shell-words';
import { splitQtestOwnArgs } from './qtest-own-args';

const initCalls = ['qtest_init', 'qtest_initf'];
const readable = 'hbadiff reads qtest_* calls, declarations and `if (…) { g_test_skip(…); return; }` guards';

/** `QTestState *s`, `uint8_t buf[16]`: a declaration without a value. */
const declaration = /^(?:(?:const|unsigned|struct) )*\w+ ?[* ]+ ?\w+(?: ?\[[^\]]*\])?$/;
/** `qtest_outl(s, …)`, `s = qtest_init(…)`, `uint32_t v = qtest_inl(…)`. */
const call = /^(?:[\w *]+= ?)?(qtest_\w+) ?\((.*)\)$/s;

/** A call's arguments split at its top-level commas. */
const argumentsOf = (text: string): string[] => {
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '"' || character === "'") {
      const quote = character;
      for (index += 1; index < text.length && text[index] !== quote; index += 1) if (text[index] === '\\') index += 1;
    } else if (character === '(') depth += 1;
    else if (character === ')') depth -= 1;
    else if (character === ',' && depth === 0) {
      pieces.push(text.slice(from, index).trim());
      from = index + 1;
    }
  }
  const last = text.slice(from).trim();
  return last === '' && pieces.length === 0 ? [] : [...pieces, last];
};

/** `if (…) { g_test_skip(…); return; }`: a test skipping itself on a host it cannot run on (a 32-bit build), which hbadiff is not. */
const isSkipGuard = (statement: CStatement): boolean =>
  /^if ?\(/.test(statement.text) && (statement.block ?? []).every((inner) => inner.text === 'return' || /^g_test_skip ?\(/.test(inner.text));

class TestFunctionReader {
  private qemuArgs?: string[];
  private readonly lines: string[] = [];
  private quit = false;

  constructor(
    private readonly file: string,
    private readonly test: CFunction,
  ) {}

  private fail(line: number, problem: string): never {
    throw new ReproducerSyntaxError(this.file, line, `${this.test.name}: ${problem}`);
  }

  private argumentsReader(name: string, args: readonly string[], line: number): CallArguments {
    const integer = (index: number): bigint => {
      const value = integerLiteral(args[index]);
      if (value === undefined) this.fail(line, `${name}: argument ${index + 1} \`${args[index]}\` is not an integer literal`);
      return value;
    };
    const string = (index: number): Buffer => {
      const value = stringLiteral(args[index]);
      if (value === undefined) this.fail(line, `${name}: argument ${index + 1} \`${args[index]}\` is not a string literal`);
      return value;
    };
    return {
      hex: (index) => `0x${BigInt.asUintN(64, integer(index)).toString(16)}`,
      decimal: (index) => integer(index).toString(),
      text: (index) => string(index).toString('utf8'),
      bytes: (dataIndex, sizeIndex) => {
        // The literal's own NUL terminator is part of it, as C sees it.
        const data = Buffer.concat([string(dataIndex), Buffer.alloc(1)]);
        const size = Number(integer(sizeIndex));
        if (size > data.length) this.fail(line, `${name}: ${size} bytes asked of a literal of ${data.length - 1}`);
        return data.subarray(0, size);
      },
    };
  }

  /** qtest_initf's format with its conversions filled in from its literal arguments. */
  private formatted(args: readonly string[], line: number): string {
    const reader = this.argumentsReader('qtest_initf', args, line);
    let next = 1;
    const text = reader.text(0).replace(/%(?:l{0,2}|z|h{0,2})([sdiuxX%])/g, (_whole, conversion: string) => {
      if (conversion === '%') return '%';
      if (next >= args.length) this.fail(line, 'qtest_initf: its format has more conversions than arguments');
      const index = next++;
      if (conversion === 's') return reader.text(index);
      return conversion === 'x' || conversion === 'X' ? reader.hex(index).slice(2) : reader.decimal(index);
    });
    if (next !== args.length) this.fail(line, `qtest_initf: ${args.length - next} argument(s) more than its format uses`);
    return text;
  }

  /** QEMU's arguments from qtest_init (one literal) or qtest_initf (a format and literals), as libqtest's sh splits them. */
  private initArgs(name: string, args: readonly string[], line: number): string[] {
    if (name === 'qtest_init' && args.length !== 1) this.fail(line, `qtest_init takes 1 argument, not ${args.length}`);
    const command = name === 'qtest_init' ? this.argumentsReader(name, args, line).text(0) : this.formatted(args, line);
    let words: string[];
    try {
      words = shellWords(command);
    } catch (error) {
      if (error instanceof ShellSyntaxError) this.fail(line, `${name}: ${error.message}`);
      throw error;
    }
    const { args: kept } = splitQtestOwnArgs(words);
    // libqtest starts every QEMU with -display none; without it a reproducer would open a window.
    return kept.includes('-display') ? kept : ['-display', 'none', ...kept];
  }

  private read(statement: CStatement): void {
    if (statement.block) {
      if (!isSkipGuard(statement)) this.fail(statement.line, `\`${statement.text} { … }\` is not a skip guard: ${readable}`);
      return;
    }
    if (declaration.test(statement.text)) return;
    const match = call.exec(statement.text);
    if (!match) this.fail(statement.line, `cannot read \`${statement.text}\`: ${readable}`);
    if (this.quit) this.fail(statement.line, `\`${statement.text}\` after qtest_quit`);
    const [, name, argumentText] = match;
    const args = argumentsOf(argumentText);
    if (initCalls.includes(name)) {
      if (this.qemuArgs) this.fail(statement.line, 'a second qtest_init: a reproducer runs one QEMU');
      this.qemuArgs = this.initArgs(name, args, statement.line);
      return;
    }
    if (name === 'qtest_quit') {
      this.quit = true;
      return;
    }
    const translation = qtestCallLines[name];
    if (!translation) this.fail(statement.line, `hbadiff does not translate ${name} (it does ${Object.keys(qtestCallLines).join(', ')})`);
    if (!this.qemuArgs) this.fail(statement.line, `${name} before qtest_init`);
    if (args.length !== translation.arity) this.fail(statement.line, `${name} takes ${translation.arity} arguments, not ${args.length}`);
    this.lines.push(translation.line(this.argumentsReader(name, args, statement.line)));
  }

  reproducer(): QtestReproducer {
    for (const statement of this.test.body) this.read(statement);
    if (!this.qemuArgs) this.fail(this.test.line, 'no qtest_init');
    return {
      name: this.test.name,
      qemuArgs: this.qemuArgs,
      lines: this.lines,
      provenance: `${this.file}:${this.test.line} ${this.test.name}`,
      ...(this.test.comment === undefined ? {} : { note: this.test.comment }),
    };
  }
}

const startsQemu = (statements: readonly CStatement[]): boolean =>
  statements.some((statement) => /\bqtest_init/.test(statement.text) || startsQemu(statement.block ?? []));

/**
 * The reproducers of a QEMU qtest C file (tests/qtest/fuzz-*-test.c): one per function that starts QEMU with
 * qtest_init, named after it, its calls turned into the protocol lines libqtest sends for them.
 */
export const readCTestReproducers = (text: string, file: string): QtestReproducer[] => {
  let functions: CFunction[];
  try {
    functions = cFunctions(text);
  } catch (error) {
    if (error instanceof CSourceError) throw new ReproducerSyntaxError(file, error.line, error.message);
    throw error;
  }
  const tests = functions.filter((candidate) => startsQemu(candidate.body));
  if (tests.length === 0) throw new ReproducerSyntaxError(file, 1, 'no function starts QEMU with qtest_init');
  return tests.map((test) => new TestFunctionReader(file, test).reproducer());
};
