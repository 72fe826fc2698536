/**
 * Failures the builder reports as one line, without a stack trace: the user, or the machine's
 * setup, can fix them without reading the builder's code.
 */
export class BuildFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A bad input the user gave: a missing file, a kernel of the wrong format, an unknown profile. */
export class InputError extends BuildFailure {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The machine lacks something the build needs: a tool, a package, the agent's source. */
export class SetupError extends BuildFailure {
  constructor(message: string) {
    super(message, 1);
  }
}
