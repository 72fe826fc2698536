import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamVerdict } from '../baseline/baseline';
import { GuestExecutors } from '../campaign/guest-executors';
import { RunJudge } from '../diff/run-judge';
import { RestartingExecutor } from '../execute/restarting-executor';
import { reproduceSignature } from '../shrink/reproduce-signature';
import { readFindings } from './read-findings';

/**
 * Whether each new cause a campaign wrote still shows on another build (a newer QEMU release): its case
 * replayed there once, the verdict added to its report. By cause id.
 */
export const checkUpstream = async (
  directory: string,
  ids: ReadonlySet<string>,
  upstream: { readonly path: string; readonly version: string },
  judge: RunJudge,
): Promise<Map<string, UpstreamVerdict>> => {
  const verdicts = new Map<string, UpstreamVerdict>();
  const findings = (await readFindings(directory)).filter((finding) => ids.has(finding.signature));
  if (findings.length === 0) return verdicts;
  const executors = new GuestExecutors({ qemu: upstream.path });
  try {
    const executor = await RestartingExecutor.open(executors);
    for (const finding of findings) {
      const shown = (await reproduceSignature(executor, judge, finding.signature)(finding.case)) !== undefined;
      const verdict: UpstreamVerdict = shown ? 'reproduces' : 'gone';
      verdicts.set(finding.signature, verdict);
      appendFileSync(
        join(directory, finding.signature, 'report.md'),
        `\nOn QEMU ${upstream.version} (\`${upstream.path}\`): ${shown ? 'the case still shows this cause' : 'the case no longer shows this cause'}.\n`,
      );
    }
  } finally {
    await executors.close();
  }
  return verdicts;
};
