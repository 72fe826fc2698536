import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qtestMachineArgs } from '../qtest/qtest-machine';
import { heredocOf } from '../qtest/write-heredoc';
import { describeFrameFailure, FrameFailure } from './frame-failure';
import type { FrameFinding } from './frame-campaign';
import { frameCampaignPaths } from './frame-machine';
import type { FrameHba } from './mutation-target';

export const reproducerFile = 'reproducer.qtest';
export const framesFile = 'frames.json';

/** What frames.json holds: the cause, the failure, and the mutations that show it, as fast-check drew and shrank them. */
export interface FramesFileContent<M> {
  readonly format: 'hbadiff-frames/1';
  readonly hba: string;
  readonly qemu: string;
  readonly signature: string;
  readonly failure: FrameFailure;
  readonly seed: number;
  readonly shrinkSteps: number;
  readonly frames: readonly M[];
}

/**
 * Writes `<out>/<signature id>/reproducer.qtest`, the fresh QEMU's transcript as a runnable heredoc (its
 * disks read zeroes, so it needs no file), and frames.json; answers the directory.
 */
export const writeFrameFinding = <M>(out: string, hba: FrameHba<M>, qemu: string, finding: FrameFinding<M>): string => {
  const directory = join(out, finding.signature.id);
  mkdirSync(directory, { recursive: true });
  const reproducer = heredocOf({
    name: finding.signature.id,
    qemuArgs: qtestMachineArgs(frameCampaignPaths(hba)),
    lines: finding.transcript,
    provenance: `hbadiff frames --hba ${hba.model} (fast-check seed ${finding.seed}) on ${qemu}`,
    note: `${finding.signature.text}\n${describeFrameFailure(finding.failure)}`,
  });
  writeFileSync(join(directory, reproducerFile), reproducer);
  const content: FramesFileContent<M> = {
    format: 'hbadiff-frames/1',
    hba: hba.model,
    qemu,
    signature: finding.signature.text,
    failure: finding.failure,
    seed: finding.seed,
    shrinkSteps: finding.shrinkSteps,
    frames: finding.sequence,
  };
  writeFileSync(join(directory, framesFile), `${JSON.stringify(content, null, 2)}\n`);
  return directory;
};
