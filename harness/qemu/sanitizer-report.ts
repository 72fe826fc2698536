/** One frame of a sanitizer's stack, as its symbolizer printed it: `#1 0x55d0c3 in copy_reply ../hw/x.c:196`. */
export interface SanitizerFrame {
  /** The source function, without the suffixes of gcc's clones (`.part.0`, `.isra.0`, `.constprop.0`, `.cold`), which come and go with the build. */
  readonly function: string;
  /** As the symbolizer printed it, relative to the build directory; absent where only the module is known. */
  readonly file: string | undefined;
  readonly line: number | undefined;
}

/** What AddressSanitizer or UBSan said when it stopped the process: enough to name the bug. */
export interface SanitizerReport {
  /** `AddressSanitizer`, `UndefinedBehaviorSanitizer`, `LeakSanitizer`. */
  readonly sanitizer: string;
  /**
   * ASan's error (`heap-buffer-overflow`, `SEGV`, `double-free`); UBSan's runtime error with its addresses
   * and numbers masked (`shift exponent N is too large for N-bit type 'int'`), which vary from case to case.
   */
  readonly kind: string;
  /** ASan's `SUMMARY:` line (its error line where the summary is missing); UBSan's `runtime error` line. */
  readonly summary: string;
  /** The stack of the error itself (not the allocation's or the free's), innermost first, without the sanitizer runtime's frames. */
  readonly frames: readonly SanitizerFrame[];
}

const asanError = /==\d+==ERROR: (\w+Sanitizer): ([\w-]+)/;
const asanSummary = /SUMMARY: (\w+Sanitizer): ([\w-]+).*/;
const ubsanError = /(?:^|\s)([^\s:]+):(\d+):(\d+): runtime error: (.+)/;
const frameLine = /^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (.+))?$/;
const runtimeFunction = /^_*(?:interceptor_|asan_|ubsan_|lsan_|sanitizer_)/;
const runtimeFile = /\/(?:libsanitizer|compiler-rt)\//;
const cloneSuffixes = /(?:\.(?:part|isra|constprop|cold|lto_priv)(?:\.\d+)?)+$/;

const frameOf = (functionName: string, where: string | undefined): SanitizerFrame => {
  const source = where === undefined ? undefined : /^(\S+?):(\d+)(?::\d+)?$/.exec(where);
  return { function: functionName.replace(cloneSuffixes, ''), file: source?.[1], line: source ? Number(source[2]) : undefined };
};

const isRuntimeFrame = (functionName: string, where: string | undefined): boolean =>
  runtimeFunction.test(functionName) || runtimeFile.test(where ?? '') || /\(.*lib(?:a|ub|l)san\.so/.test(where ?? '');

/**
 * Lines an error's own stack may start after: ASan says what was accessed (`WRITE of size 17 at ...`), or
 * for a SEGV what caused the signal and a hint, before frame #0. Further on, a stack is another report's.
 */
const linesBeforeStack = 4;

/** The stack that starts at `lines[from]` (`#0`) or shortly after it: frames while their numbers count up. */
const stackFrom = (lines: readonly string[], from: number): SanitizerFrame[] => {
  const frames: SanitizerFrame[] = [];
  let expected = 0;
  for (const [offset, line] of lines.slice(from).entries()) {
    const frame = frameLine.exec(line);
    if (!frame) {
      if (expected > 0 || offset >= linesBeforeStack) break;
      continue;
    }
    if (Number(frame[1]) !== expected) break;
    expected++;
    if (!isRuntimeFrame(frame[2], frame[3])) frames.push(frameOf(frame[2], frame[3]));
  }
  return frames;
};

const maskedKind = (message: string): string => message.replace(/0x[0-9a-f]+/gi, '0x…').replace(/\b\d+\b/g, 'N').trim();

/**
 * The first sanitizer report in `text` (a sanitizer's log file, or a console where its output landed among
 * other lines, `\r\n` or `\n`), or undefined when there is none.
 */
export const parseSanitizerReport = (text: string): SanitizerReport | undefined => {
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const asan = asanError.exec(line);
    if (asan) {
      const summary = lines.slice(index).map((each) => asanSummary.exec(each)).find((match) => match !== null);
      return {
        sanitizer: asan[1],
        kind: summary?.[2] ?? asan[2],
        summary: summary?.[0] ?? line.slice(asan.index),
        frames: stackFrom(lines, index + 1),
      };
    }
    const ubsan = ubsanError.exec(line);
    if (ubsan) {
      return {
        sanitizer: 'UndefinedBehaviorSanitizer',
        kind: maskedKind(ubsan[4]),
        summary: line.slice(ubsan.index).trim(),
        frames: stackFrom(lines, index + 1),
      };
    }
  }
  return undefined;
};
