import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { frameSequenceArbitrary } from '../harness/frames/frame-campaign';
import { FrameMachine, startFrameMachine } from '../harness/frames/frame-machine';
import { frameHbas, FrameHbaName } from '../harness/frames/frame-hbas';
import { runSequence } from '../harness/frames/frame-run';
import type { FrameHba } from '../harness/frames/mutation-target';
import { Measurement, measure } from './measurement';
import { BenchProfile } from './profile';

/** One HBA at frame level: well-formed commands through its frame driver, and mutated frames as `hbadiff frames` runs them. */
export interface FrameRow {
  readonly hba: string;
  readonly commands: Measurement;
  readonly mutations: Measurement;
}

/** Upstream 7.2.22 with the qtest accelerator, built once by qemu-stable.sh (Debian's QEMU has none). */
const qtestQemu = (): string =>
  execFileSync('bash', [join(__dirname, '..', 'test-images', 'qemu-stable.sh'), '7.2.22'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

const timing = { frameTimeoutMs: 100, hangMs: 5_000 };
const secondsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** READ (10) of 8 blocks, one after the other through `FrameDriver.send`, on one QEMU brought up once. */
const commandRate = async (qemu: string, hba: FrameHba<unknown>, count: number): Promise<number> => {
  const { machine, driver } = await startFrameMachine(hba, qemu, timing.frameTimeoutMs, false);
  try {
    const cdb = Buffer.from([0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0]);
    const start = process.hrtime.bigint();
    for (let sent = 0; sent < count; sent++) await driver.send({ target: 0, lun: 0, cdb, dataInLength: 4096, timeoutMs: 5_000 });
    return count / secondsSince(start);
  } finally {
    await machine.stop();
  }
};

/** Mutated frames per second over `seconds`, drawn from `seed`, a fresh QEMU each time a run spends one: the campaign without confirming and shrinking. */
const mutationRate = async (qemu: string, hba: FrameHba<unknown>, seconds: number, seed: number): Promise<number> => {
  const sequences = fc.sample(frameSequenceArbitrary(hba), { seed, numRuns: 100_000 });
  let frames: FrameMachine<unknown> | undefined;
  let posted = 0;
  const start = process.hrtime.bigint();
  try {
    for (const sequence of sequences) {
      if (secondsSince(start) >= seconds) break;
      frames ??= await startFrameMachine(hba, qemu, timing.frameTimeoutMs, false);
      const result = await runSequence(hba, frames, sequence, timing);
      posted += result.frames;
      if (result.spent) {
        await frames.machine.stop();
        frames = undefined;
      }
    }
    return posted / secondsSince(start);
  } finally {
    await frames?.machine.stop();
  }
};

export const measureFrames = async (profile: BenchProfile): Promise<FrameRow[]> => {
  const qemu = qtestQemu();
  const rows: FrameRow[] = [];
  for (const name of Object.keys(frameHbas) as FrameHbaName[]) {
    const hba: FrameHba<unknown> = frameHbas[name];
    const commands = await measure(`${name} frame-level commands/s (READ (10), 4 KiB)`, 'commands/s', profile.runs, () => commandRate(qemu, hba, profile.frameCommands));
    const mutations = await measure(`${name} frame mutations/s`, 'frames/s', profile.runs, (run) => mutationRate(qemu, hba, profile.frameMutationSeconds, run));
    console.error(`${name}: ${commands.median.toFixed(0)} frame-level commands/s, ${mutations.median.toFixed(0)} frame mutations/s`);
    rows.push({ hba: name, commands, mutations });
  }
  return rows;
};
