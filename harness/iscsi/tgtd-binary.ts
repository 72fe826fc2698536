import { isAbsolute, resolve } from 'node:path';

/**
 * ASan's settings for a sanitizer build of tgtd (test-images/tgtd-asan.sh), unless the caller set its own:
 * the report goes to stderr, where TgtdServer keeps tgtd's last lines; the first error ends tgtd with exit
 * status 1, not an abort and a core; and no leak report at exit, whose pages would push the error out of
 * those lines when the harness stops tgtd. Settings that a binary without ASan never reads.
 */
export const tgtdAsanOptions = 'abort_on_error=0:halt_on_error=1:detect_leaks=0:print_summary=1';

/**
 * Which tgtd the harness runs: HBADIFF_TGTD (a path, e.g. `$(bash test-images/tgtd-asan.sh)`), else `tgtd`
 * on PATH (Debian: package tgt). Naming a build also sets ASAN_OPTIONS (see tgtdAsanOptions) in `env` when it
 * has none, so the children that inherit it, tgtd among them, report as the harness needs.
 */
export const tgtdBinary = (env: NodeJS.ProcessEnv = process.env): string => {
  const chosen = env.HBADIFF_TGTD;
  if (chosen === undefined || chosen === '') return 'tgtd';
  env.ASAN_OPTIONS ??= tgtdAsanOptions;
  return isAbsolute(chosen) ? chosen : resolve(chosen);
};
