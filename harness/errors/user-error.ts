/**
 * A failure the user can cause and fix (a missing binary, a bad flag, a bad file): the CLI prints its
 * message as one line, without a stack trace, and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The environment cannot run the test at all (QEMU missing, lacking a device): `git bisect run` skips on 125. */
export const cannotTestExitCode = 125;
