import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseRun } from '../../../harness/execute/case-run';
import { failureSignature } from '../../../harness/findings/signature';
import { QemuExited } from '../../../harness/qemu/machine-exit';
import { isSanitizerBuild } from '../../../harness/qemu/sanitizer-build';
import { readSanitizerLog, sanitizerEnvironment } from '../../../harness/qemu/sanitizer-environment';
import { parseSanitizerReport } from '../../../harness/qemu/sanitizer-report';
import { PathId } from '../../../harness/qemu/topology';

const source = join(__dirname, '..', '..', 'fixtures', 'sanitizer', 'faults.c');
/** The line of the source that holds `marker`, as the symbolizer numbers it. */
const lineOf = (marker: string): number => readFileSync(source, 'utf8').split('\n').findIndex((line) => line.includes(marker)) + 1;

/** What a real sanitizer printed: the fixture built with ASan and UBSan, as QEMU's --asan builds are, and run in QEMU's sanitizer environment. */
describe('sanitizer reports', () => {
  let dir: string;
  let sanitized: string;
  let plain: string;

  const compile = (output: string, flags: string[]) => {
    const result = spawnSync('gcc', ['-g', '-O1', '-fno-omit-frame-pointer', ...flags, '-o', output, source], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`gcc failed: ${result.error?.message ?? result.stderr}`);
  };

  /** Runs the fault; what the sanitizer wrote to its log, what the process wrote to stderr, and how it ended. */
  const fault = (which: 'overflow' | 'shift') => {
    const logPath = join(dir, `sanitizer-${which}`);
    const result = spawnSync(sanitized, [which], { encoding: 'utf8', env: sanitizerEnvironment(logPath) });
    return { log: readSanitizerLog(logPath, result.pid), stderr: result.stderr, signal: result.signal };
  };

  /** A crash as the guest executor records it: QEMU's exit with the console's last lines and the report. */
  const crashRun = (consoleLines: string[], report: string | undefined): CaseRun => ({
    case: { steps: [] },
    initialContent: Buffer.alloc(0),
    runs: [],
    failure: { kind: 'crash', step: 0, detail: new QemuExited({ exitCode: 0, signal: 6 }, consoleLines, 'while the harness was talking to the guest', report).message },
  });
  const crashSignature = (run: CaseRun) => failureSignature({ step: 0, field: 'crash', paths: ['virtio-scsi:scsi-block' as PathId], values: [] }, run).text;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-sanitizer-'));
    sanitized = join(dir, 'faults-sanitized');
    plain = join(dir, 'faults-plain');
    compile(sanitized, ['-fsanitize=address,undefined']);
    compile(plain, []);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ASan, in the environment: the whole report goes to log_path.<pid>, none to stderr, and the process ends by SIGABRT', () => {
    const { log, stderr, signal } = fault('overflow');
    expect(signal).toBe('SIGABRT');
    expect(log).toMatch(/^==\d+==ERROR: AddressSanitizer: heap-buffer-overflow/m);
    expect(log).toMatch(/==\d+==ABORTING\s*$/);
    expect(stderr).not.toContain('AddressSanitizer');
  });

  it('parses an ASan report: its error, its summary, and the stack of the access without the runtime\'s interceptor', () => {
    const report = parseSanitizerReport(fault('overflow').log ?? '');
    expect(report).toEqual({
      sanitizer: 'AddressSanitizer',
      kind: 'heap-buffer-overflow',
      summary: expect.stringMatching(/^SUMMARY: AddressSanitizer: heap-buffer-overflow /),
      frames: [
        { function: 'copy_reply', file: source, line: lineOf('the overflow') },
        { function: 'handle_reply', file: source, line: lineOf('copy_reply(buf') },
        { function: 'main', file: source, line: lineOf('handle_reply(16') },
        ...Array(3).fill(expect.objectContaining({ function: expect.any(String) })),
      ],
    });
  });

  it('UBSan, in the environment: stops at its first error with a stack on stderr, by SIGABRT; parsed with its numbers masked', () => {
    const { log, stderr, signal } = fault('shift');
    expect(signal).toBe('SIGABRT');
    expect(log).toBeUndefined();
    const report = parseSanitizerReport(stderr);
    expect(report?.sanitizer).toBe('UndefinedBehaviorSanitizer');
    expect(report?.kind).toBe("shift exponent N is too large for N-bit type 'int'");
    expect(report?.summary).toMatch(/faults\.c:\d+:\d+: runtime error: shift exponent 42 is too large/);
    expect(report?.frames.slice(0, 2)).toEqual([
      { function: 'shift', file: source, line: lineOf('the shift') },
      { function: 'main', file: source, line: lineOf('shift(argc') },
    ]);
  });

  it('finds a report among the guest console\'s lines, as a pty gives them (\\r\\n)', () => {
    const { stderr } = fault('shift');
    const console = `[    1.234567] sd 0:0:0:0: [sda] Attached SCSI disk\r\nhbadiff-agent: ready\r\n${stderr.replace(/\n/g, '\r\n')}`;
    expect(parseSanitizerReport(console)).toEqual(parseSanitizerReport(stderr));
  });

  it('finds none where there is none, such as a failed assertion', () => {
    expect(parseSanitizerReport("qemu-system-x86_64: ../hw/scsi/scsi-bus.c:1538: scsi_req_complete: Assertion `req->status == -1' failed.")).toBeUndefined();
  });

  it('signs two crashes of one bug alike whatever their addresses and pids, and two bugs apart', () => {
    const first = crashSignature(crashRun(['hbadiff-agent: ready'], fault('overflow').log));
    const second = crashSignature(crashRun([], fault('overflow').log));
    const shift = crashSignature(crashRun(fault('shift').stderr.split('\n'), undefined));
    expect(first).toBe('crash:AddressSanitizer: heap-buffer-overflow in copy_reply < handle_reply < main');
    expect(second).toBe(first);
    expect(shift).toBe("crash:UndefinedBehaviorSanitizer: shift exponent N is too large for N-bit type 'int' in shift < main < __libc_start_call_main");
  });

  it('tells a sanitizer build by its dynamic symbols: the sanitized program is one; the same program built plain, and a script, are not', async () => {
    const script = join(dir, 'launcher.sh');
    writeFileSync(script, '#!/bin/sh\nexec qemu-system-x86_64 "$@"\n');
    chmodSync(script, 0o755);
    expect(await isSanitizerBuild(sanitized)).toBe(true);
    expect(await isSanitizerBuild(plain)).toBe(false);
    expect(await isSanitizerBuild(script)).toBe(false);
  });
});
