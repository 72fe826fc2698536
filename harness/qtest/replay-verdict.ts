/** What replaying a reproducer showed: QEMU survived every line, died, or stopped answering. */
export type ReplayVerdict =
  | {
      readonly kind: 'clean';
      readonly lines: number;
      /** Lines QEMU answered with FAIL or ERR: understood and refused, which a reproducer written for another build may meet. */
      readonly refused: number;
    }
  | {
      readonly kind: 'crash';
      /** 1-based: the line QEMU died on; one past the last when it died after answering them all. */
      readonly atLine: number;
      /** `was killed by signal 6`, `exited with status 1`. */
      readonly exit: string;
      /** The line of QEMU's stderr that says why: a failed assertion, a sanitizer's error, a GLib error. */
      readonly evidence?: string;
    }
  | { readonly kind: 'hang'; readonly atLine: number; readonly line: string; readonly timeoutMs: number };

/**
 * What says why QEMU died: a failed assertion (glibc's and GLib's), a sanitizer's error, GLib giving up on an
 * allocation. Not GLib's criticals (`assertion 'timer != NULL' failed` when the qtest socket closes), which QEMU survives.
 */
const crashLine = /Assertion .* failed|assertion failed|ERROR: \w*Sanitizer|runtime error:|failed to allocate|\*\*ERROR\*\*/;

/** The last line of QEMU's stderr that says why it died, if one does. */
export const crashEvidence = (stderr: readonly string[]): string | undefined =>
  stderr
    .map((line) => line.trim())
    .filter((line) => crashLine.test(line))
    .at(-1);

export const describeReplay = (verdict: ReplayVerdict): string => {
  switch (verdict.kind) {
    case 'clean':
      return `clean (${verdict.lines} line(s) answered${verdict.refused > 0 ? `, ${verdict.refused} of them refused` : ''}, QEMU still answering)`;
    case 'crash':
      return `crash at line ${verdict.atLine}: QEMU ${verdict.exit}${verdict.evidence ? `: ${verdict.evidence}` : ''}`;
    case 'hang':
      return `hang at line ${verdict.atLine} (${verdict.line}): no answer within ${verdict.timeoutMs / 1000} s`;
  }
};
