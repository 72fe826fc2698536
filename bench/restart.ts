import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Case } from '../harness/case/case-types';
import { GuestExecutor } from '../harness/execute/guest-executor';
import { inquiry } from '../harness/scsi/opcodes';
import { GuestSession } from '../harness/session/guest-session';
import { Measurement, measure } from './measurement';

export interface RestartRow {
  /** Cold: a new guest booted, as every replacement was before saved states. */
  readonly booted: Measurement;
  /** The first guest's saved state resumed on fresh disks and a fresh tgtd. */
  readonly resumed: Measurement;
}

const oneInquiry: Case = {
  steps: [{ kind: 'command', command: { cdb: inquiry({ allocationLength: 36 }), direction: 'from-device', length: 36 } }],
};

/**
 * From QEMU's death (SIGKILL, as a crash) to the next case having run on a fresh guest: the dead session
 * stopped, a fresh one started (booted, or resumed from the saved state), and a one-command case run on it.
 */
const afterCrash = (runs: number, what: string, fresh: () => Promise<GuestSession>, first: GuestSession): Promise<Measurement> => {
  let current = first;
  return measure(what, 'ms', runs, async () => {
    current.machine.kill('SIGKILL');
    await current.machine.exited;
    const died = performance.now();
    await current.stop();
    current = await fresh();
    await new GuestExecutor(current).run(oneInquiry);
    const ms = performance.now() - died;
    console.error(`${what}: ${ms.toFixed(0)} ms`);
    return ms;
  }).finally(() => current.stop());
};

export const measureRestart = async (runs: number): Promise<RestartRow> => {
  const directory = mkdtempSync(join(tmpdir(), 'hbadiff-bench-state-'));
  try {
    const booted = await afterCrash(runs, 'crash to the next case, a booted guest', () => GuestSession.start(), await GuestSession.start());
    const first = await GuestSession.start();
    const state = await first.saveState(join(directory, 'booted.migration'));
    const resumed = await afterCrash(runs, 'crash to the next case, the saved guest resumed', () => GuestSession.resume(state), first);
    return { booted, resumed };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};
