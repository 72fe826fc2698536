import { AttachedPath } from '../qemu/cmdline';
import { layoutTopology } from '../qemu/topology';
import { ScsiStatus } from '../scsi/status';
import { frameDriverFor } from '../qtest/frame-drivers';
import type { FrameDriver } from '../qtest/frame-driver';
import { QtestMachine } from '../qtest/qtest-machine';
import { campaignDiskBytes } from './base-command';
import type { FrameHba, MutationTarget } from './mutation-target';

/**
 * The HBA with two disks (targets 0 and 1; 2 has none) of QEMU's null-co driver, reading zeroes and keeping
 * nothing: no file and no tgtd behind QEMU, so a transcript replays standalone, and every write leaves the disks
 * as they were.
 */
export const frameCampaignPaths = (hba: FrameHba<unknown>): AttachedPath[] =>
  layoutTopology({ hbas: [{ model: hba.model, disks: ['scsi-hd', 'scsi-hd'] }], diskBytes: campaignDiskBytes }).map((layout) => ({
    layout,
    backing: { kind: 'zeroes', bytes: campaignDiskBytes },
  }));

/** READ CAPACITY (10): reports, and so clears, a pending unit attention (INQUIRY would not). */
const readCapacity = Buffer.from([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const attentionTries = 4;

/** Takes the power-on unit attention from each disk, so that the first mutated frame and its unmutated copy meet the same device. */
const clearPowerOnAttention = async (driver: FrameDriver, paths: readonly AttachedPath[], timeoutMs: number): Promise<void> => {
  for (const { layout } of paths) {
    for (let tries = 0; tries < attentionTries; tries++) {
      const answer = await driver.send({ target: layout.target, lun: 0, cdb: readCapacity, dataInLength: 8, timeoutMs });
      if (!answer.completed || answer.status === ScsiStatus.good) break;
    }
  }
};

/** A QEMU under qtest with the HBA brought up and ready for mutated frames. */
export interface FrameMachine<M> {
  readonly machine: QtestMachine;
  /** The HBA's frame driver, for well-formed commands. */
  readonly driver: FrameDriver;
  readonly target: MutationTarget<M>;
}

export const startFrameMachine = async <M>(hba: FrameHba<M>, qemu: string, timeoutMs: number, recordTranscript: boolean): Promise<FrameMachine<M>> => {
  const paths = frameCampaignPaths(hba);
  const machine = await QtestMachine.start({ qemu, paths, recordTranscript });
  try {
    const [driver] = (await machine.drivers(frameDriverFor)).values();
    await clearPowerOnAttention(driver, paths, timeoutMs);
    return { machine, driver, target: hba.target(driver, machine, timeoutMs) };
  } catch (error) {
    await machine.stop();
    throw error;
  }
};
