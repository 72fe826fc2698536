/**
 * On Ctrl-C or SIGTERM, runs `stop` (shut the guest, tgtd and temp files down) before exiting with the
 * shell's code for that signal, so that no QEMU, tgtd or temp file outlives the command.
 */
export const stopOnSignals = (stop: () => Promise<void>): void => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(code));
    });
  }
};
