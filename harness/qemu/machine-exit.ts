/** How a QEMU process ended, as node-pty saw it. */
export interface MachineExit {
  readonly exitCode: number;
  /** The signal that killed it (6 for an assertion's abort, 9 for SIGKILL), if one did. */
  readonly signal: number | undefined;
}

export const describeExit = (exit: MachineExit): string =>
  exit.signal ? `was killed by signal ${exit.signal}` : `exited with status ${exit.exitCode}`;

const tail = (lines: readonly string[]): string => (lines.length === 0 ? '(no output)' : lines.join('\n'));

/** QEMU ended while the harness still needed it: its exit and last words are the evidence, and a sanitizer build's report, whole. */
export class QemuExited extends Error {
  constructor(
    readonly exit: MachineExit,
    readonly lastOutput: readonly string[],
    during: string,
    readonly sanitizerReport?: string,
  ) {
    super(`QEMU ${describeExit(exit)} ${during}; its last output:\n${tail(lastOutput)}${sanitizerReport ? `\nits sanitizer's report:\n${sanitizerReport.trimEnd()}` : ''}`);
    this.name = 'QemuExited';
  }
}

/** The guest agent never said hello: the console's last lines say how far the boot got. */
export class BootTimeout extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly lastOutput: readonly string[],
  ) {
    super(`the guest agent did not say hello within ${timeoutMs / 1000} s; the console's last lines:\n${tail(lastOutput)}`);
    this.name = 'BootTimeout';
  }
}
