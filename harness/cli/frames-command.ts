import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { locateQtestQemu } from '../qtest/qtest-qemu';
import { FrameCampaignStats, FrameFinding, runFrameCampaign } from '../frames/frame-campaign';
import { describeFrameFailure } from '../frames/frame-failure';
import { writeFrameFinding } from '../frames/frame-finding-files';
import { frameHbaNamed } from '../frames/frame-hbas';
import type { FrameHba } from '../frames/mutation-target';
import { makeOutputDirectory } from './corpus-command';

export interface FramesOptions {
  readonly hba: string;
  readonly qemu?: string;
  readonly time: number;
  readonly seed?: number;
  readonly out?: string;
}

/** A frame completes in milliseconds under qtest on disks of zeroes; a tenth of a second without one is a frame the HBA keeps. */
const frameTimeoutMs = 100;
/** A qtest request unanswered this long past the frame's timeout is a hang. */
const hangMs = 5_000;
/** How long each failure is shrunk, a fresh QEMU per candidate. */
const shrinkMs = 20_000;

const perSecond = (count: number, ms: number): string => (ms > 0 ? (count / (ms / 1000)).toFixed(1) : '0');

const statsLine = (stats: FrameCampaignStats, findings: number): string =>
  `${(stats.elapsedMs / 1000).toFixed(0)} s: ${stats.frames} frames (${perSecond(stats.frames, stats.elapsedMs)}/s), ${stats.runs} runs, ` +
  `${stats.failures.crash} crashes, ${stats.failures.hang} hangs, ${stats.failures['stray-write']} stray writes, ${stats.failures.divergence} divergences, ` +
  `${stats.noCompletion} frames without completion, ${stats.writesWhereAsked} writes into guards where a frame pointed (not findings), ` +
  `${stats.unconfirmed} unconfirmed on a fresh QEMU; ${findings} cause(s)`;

/**
 * `hbadiff frames --hba H`: a frame-mutation campaign on one HBA under qtest, one directory per cause in
 * `--out`, with the reproducer that a fresh QEMU's transcript makes. Exit 1 when it found any cause.
 */
export const framesCommand = async (options: FramesOptions): Promise<number> => {
  const hba: FrameHba<unknown> = frameHbaNamed(options.hba, '--hba');
  const qemu = await locateQtestQemu(options.qemu);
  const seed = options.seed ?? randomInt(2 ** 31 - 1);
  const out = options.out ?? join('findings', `frames-${hba.model}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  makeOutputDirectory(out);
  console.log(`frames on ${hba.model}, seed ${seed} (repeat with --seed ${seed}), ${options.time} s on ${qemu}; findings in ${out}`);
  const { stats, findings } = await runFrameCampaign({
    hba,
    qemu,
    seconds: options.time,
    seed,
    timing: { frameTimeoutMs, hangMs },
    shrinkMs,
    onProgress: (progress, causes) => console.error(statsLine(progress, causes)),
    onFinding: (finding: FrameFinding<unknown>) => {
      const directory = writeFrameFinding(out, hba, qemu, finding);
      console.log(`cause: ${finding.signature.text}\n  ${describeFrameFailure(finding.failure)}; ${finding.sequence.length} frame(s) after ${finding.shrinkSteps} shrink step(s): ${directory}`);
    },
  });
  console.log(statsLine(stats, findings.length));
  console.log(`${stats.freshRuns} runs on fresh QEMUs confirming and shrinking`);
  return findings.length > 0 ? 1 : 0;
};
