import type fc from 'fast-check';
import type { HbaModel } from '../qemu/hba/registry';
import type { FrameDriver } from '../qtest/frame-driver';
import type { QtestMachine } from '../qtest/qtest-machine';
import type { FrameOutcome } from './frame-outcome';

/** One HBA brought up at frame level that sends mutated frames: `unmutated` sends the well-formed frame the mutation started from. */
export interface MutationTarget<M> {
  send(mutation: M, unmutated: boolean): Promise<FrameOutcome>;
}

/**
 * What a frame campaign needs of one HBA: its frame mutations, which of them leave the SCSI answer alone, the
 * fields a mutation overrides (what a finding is named by), and a target over its frame driver.
 */
export interface FrameHba<M> {
  readonly model: HbaModel;
  readonly mutation: fc.Arbitrary<M>;
  answerNeutral(mutation: M): boolean;
  overriddenFields(mutation: M): readonly string[];
  target(driver: FrameDriver, machine: QtestMachine, timeoutMs: number): MutationTarget<M>;
}
