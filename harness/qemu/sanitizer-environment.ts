import { readFileSync } from 'node:fs';

/**
 * The environment a sanitizer build of QEMU runs in. ASan: no leak report at exit (QEMU leaves memory to the
 * process's end, and LeakSanitizer would turn every exit into status 23), and the first error aborts, so
 * that QEMU ends by SIGABRT as a failed assertion does; UBSan likewise stops at its first error, with a
 * stack. `log_path` sends ASan's report to `<logPath>.<pid>` rather than to stderr, which shares the pty
 * with the guest console and keeps only its last lines: an ASan report (stacks, shadow bytes) is longer.
 * UBSan's report stays on stderr whatever its options say, as gcc links it as a runtime of its own that
 * writes to fd 2 when ASan is there too (measured with gcc 12); it is a few lines, and the console tail
 * holds it. The user's own options come first, so that these win where both set one.
 */
export const sanitizerEnvironment = (logPath?: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => {
  const joined = (own: string | undefined, ours: string[]) => [own, ...ours].filter((part) => part !== undefined && part !== '').join(':');
  return {
    ...env,
    ASAN_OPTIONS: joined(env.ASAN_OPTIONS, ['detect_leaks=0', 'abort_on_error=1', 'halt_on_error=1', ...(logPath ? [`log_path=${logPath}`] : [])]),
    UBSAN_OPTIONS: joined(env.UBSAN_OPTIONS, ['halt_on_error=1', 'abort_on_error=1', 'print_stacktrace=1']),
  };
};

/** What the sanitizer wrote to `log_path` for the process `pid`, if it wrote anything. */
export const readSanitizerLog = (logPath: string, pid: number): string | undefined => {
  try {
    return readFileSync(`${logPath}.${pid}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};
