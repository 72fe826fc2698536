/**
 * A QEMU bug reproduced over the qtest protocol, as QEMU developers pass them around: the command line QEMU
 * needs, and the protocol lines that bring the bug out, sent in order, each answered before the next.
 * A reproducer expects QEMU to be alive and answering after its last line: that is what "fixed" means for
 * QEMU's own fuzz tests, which end with `qtest_quit`, and for a heredoc, after whose end QEMU keeps running.
 */
export interface QtestReproducer {
  /** What it is called: the C test function it came from, or its file's name. */
  readonly name: string;
  /**
   * QEMU's arguments, without the binary and without qtest's own (`-qtest …`, `-qtest-log …`, the qtest
   * accelerator): whoever runs it adds those for the transport it uses.
   */
  readonly qemuArgs: readonly string[];
  /** Protocol lines (`outl 0xcf8 0x80000818`, `write 0x0 0x1 0x01`, `clock_step`, …). */
  readonly lines: readonly string[];
  /** Where it was read from: `file:line`, with the test function when it came from C. */
  readonly provenance: string;
  /** What its source said about it (the comment above the test function, or above the heredoc). */
  readonly note?: string;
}
