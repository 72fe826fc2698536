import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { Case } from '../../harness/case/case-types';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { CaseRun } from '../../harness/execute/case-run';
import { CommandOutcome, StepOutcome } from '../../harness/execute/step-outcome';
import { ModelJudge } from '../../harness/model/model-judge';
import { loadModelPolicy } from '../../harness/model/model-policy';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes, initialDiskContent } from '../../harness/session/disk-content';

const diskBytes = 8 * 1024 * 1024;
const topology: Topology = {
  hbas: (['virtio-scsi', 'pvscsi', 'mptsas1068', 'lsi53c895a'] as const).map((model) => ({ model, disks: ['scsi-hd' as const] })),
  diskBytes,
};

const paths = JSON.stringify(topology.hbas.map((hba) => `${hba.model}:scsi-hd`));
const caseOf = (steps: string[], name: string): Case => parseCase(`{ "format": "hbadiff-case/1", "paths": ${paths}, "steps": [ ${steps.join(', ')} ] }`, name);

const holdMs = 3_000;
/** READ (10) of 8 blocks at `lba`, in a group, with the guest's timeout given. */
const read = (lba: number, timeoutMs: number): string =>
  `{ "cdb": "28 00 00 00 00 ${lba.toString(16).padStart(2, '0')} 00 00 08 00", "dir": "from-device", "length": 4096, "timeoutMs": ${timeoutMs}, "queued": true }`;
const testUnitReady = '{ "cdb": "00 00 00 00 00 00", "dir": "none" }';
const blocksAt = (lba: number): Buffer => initialDiskContent(diskBytes).subarray(lba * blockBytes, (lba + 8) * blockBytes);

const command = (outcome: StepOutcome | undefined): CommandOutcome => {
  if (outcome?.kind !== 'command') throw new Error(`expected a command's outcome, got ${outcome?.kind}`);
  return outcome;
};
const byPath = (run: CaseRun): Record<string, readonly StepOutcome[]> => Object.fromEntries(run.runs.map((pathRun) => [pathRun.path, pathRun.outcomes]));
const ms = (outcome: CommandOutcome): number => Number(outcome.durationNs / 1_000_000n);
const logText = (outcome: CommandOutcome): string => outcome.log.map((record) => record.text).join('\n');

/**
 * A hold (issue 19): QEMU holds every read and write of its disks for a while, as a slow backend does, and a
 * command whose guest timeout is shorter meets the guest driver's error handling while QEMU still has it.
 * What each driver does is its own: virtio_scsi resets the timer and waits; vmw_pvscsi aborts the command
 * (ABORT TASK, which QEMU carries out once the request lets go); mptsas aborts, gets no answer to its task
 * management request and resets the whole IOC; sym53c8xx aborts.
 */
describe('a hold of the disks QEMU holds, with commands that outlive their guest timeout', () => {
  const guest = bootedGuest({ topology });

  it('without a hold, a READ with a 500 ms guest timeout answers at once on every path', async () => {
    const run = await new GuestExecutor(guest.session).run(caseOf([read(16, 500), read(32, 10_000)], 'plain.json'));
    expect(run.failure).toBeUndefined();
    for (const pathRun of run.runs) {
      for (const outcome of pathRun.outcomes.map(command)) {
        expect([pathRun.path, outcome.status, outcome.delivery.problem, ms(outcome) < 1_000]).toEqual([pathRun.path, 0, undefined, true]);
      }
    }
  }, 120_000);

  it("held, each guest driver meets the timeout its own way, and QEMU gives every request back when the hold ends", async () => {
    const executor = new GuestExecutor(guest.session);
    const run = await executor.run(caseOf([`{ "host": "hold", "ms": ${holdMs} }`, read(16, 500), read(32, 10_000), testUnitReady], 'hold.json'));
    expect(run.failure).toBeUndefined();
    const outcomes = byPath(run);
    for (const [path, steps] of Object.entries(outcomes)) {
      expect([path, steps[0]]).toMatchObject([path, { kind: 'host', skipped: false, delivery: { completion: `reads and writes held in QEMU for ${holdMs} ms` } }]);
      // Held: no path's READ came back before the hold was nearly over.
      expect([path, ms(command(steps[1])) > holdMs / 2]).toEqual([path, true]);
    }
    // virtio_scsi resets the timer of a command that times out: it waits for QEMU, and gets the data.
    const virtio = outcomes['virtio-scsi:scsi-hd'].map((outcome, step) => (step === 0 ? undefined : command(outcome)));
    expect([virtio[1]?.status, virtio[1]?.delivery.problem, virtio[1]?.dataIn?.equals(blocksAt(16))]).toEqual([0, undefined, true]);
    // vmw_pvscsi aborts it: DID_TIME_OUT once the abort is through; the READ beside it, with time to spare, is untouched.
    const pvscsi = outcomes['pvscsi:scsi-hd'].map((outcome, step) => (step === 0 ? undefined : command(outcome)));
    expect(pvscsi[1]?.delivery.problem).toBe('host 0x0003');
    expect([pvscsi[2]?.status, pvscsi[2]?.delivery.problem, pvscsi[2]?.dataIn?.equals(blocksAt(32))]).toEqual([0, undefined, true]);
    // mptsas's abort gets no answer from QEMU's mptsas1068: the driver resets the IOC, and the device reports it.
    const mptsas = outcomes['mptsas1068:scsi-hd'].map((outcome, step) => (step === 0 ? undefined : command(outcome)));
    expect(mptsas[1]?.delivery.problem).toBe('host 0x0003');
    expect(logText(command(outcomes['virtio-scsi:scsi-hd'][1]))).toMatch(/Issuing Reset from mptscsih_IssueTaskMgmt/);
    const attention = command(outcomes['mptsas1068:scsi-hd'][3]);
    expect([attention.status, attention.sense[2] & 0x0f, attention.sense[12]]).toEqual([2, 0x6, 0x29]);
    // sym53c8xx aborts it too.
    expect(command(outcomes['lsi53c895a:scsi-hd'][1]).delivery.problem).toBe('host 0x0003');
    // The group's kernel records went with its first step on every path, none on the path that happened to come first.
    expect(new Set(Object.values(outcomes).map((steps) => logText(command(steps[1]))))).toHaveProperty('size', 1);
    // A hold leaves the model nothing to judge on the paths after it.
    expect(new ModelJudge(loadModelPolicy()).judge(run)).toEqual([]);

    // The hold ended with its case: the next case's reads go through at once.
    const next = await executor.run(caseOf([read(16, 500), testUnitReady, testUnitReady], 'after-hold.json'));
    expect(next.failure).toBeUndefined();
    for (const pathRun of next.runs) {
      const first = command(pathRun.outcomes[0]);
      expect([pathRun.path, ms(first) < 1_000]).toEqual([pathRun.path, true]);
    }
    const qmp = await guest.session.machine.qmp();
    const devices = await qmp.execute<{ device: string; qdev: string; inserted?: { bps: number } }[]>('query-block');
    expect(devices.filter((device) => (device.inserted?.bps ?? 0) !== 0)).toEqual([]);
  }, 180_000);

  it('a LUN reset queued behind held READs ends them at once with DID_RESET; a path it is not aimed at waits the hold out', async () => {
    const aimed = ['virtio-scsi:scsi-hd', 'pvscsi:scsi-hd', 'mptsas1068:scsi-hd'];
    const resets = aimed.map((path) => `{ "reset": "device", "path": "${path}", "queued": true }`);
    const run = await new GuestExecutor(guest.session).run(caseOf([`{ "host": "hold", "ms": ${holdMs} }`, read(16, 10_000), read(32, 10_000), ...resets, testUnitReady], 'reset-in-flight.json'));
    expect(run.failure).toBeUndefined();
    const outcomes = byPath(run);
    for (const path of aimed) {
      const steps = outcomes[path];
      const own = 3 + aimed.indexOf(path);
      expect([path, steps[own]]).toMatchObject([path, { kind: 'reset', skipped: false, delivery: { answered: true, completion: 'errno 0' } }]);
      // Held in QEMU when the reset came, both READs end with it, long before the hold would have let them go.
      for (const step of [1, 2]) {
        const outcome = command(steps[step]);
        expect([path, step, outcome.delivery.problem, ms(outcome) < holdMs / 2]).toEqual([path, step, 'host 0x0008', true]);
      }
    }
    // sym53c8xx's path: no reset aimed at it, so its READs wait for the hold and get their data.
    const lsi = outcomes['lsi53c895a:scsi-hd'];
    expect(lsi.slice(3, 6).map((outcome) => outcome.kind === 'reset' && outcome.skipped)).toEqual([true, true, true]);
    expect([command(lsi[1]).status, command(lsi[1]).delivery.problem, command(lsi[1]).dataIn?.equals(blocksAt(16)), ms(command(lsi[1])) > holdMs / 2]).toEqual([0, undefined, true, true]);
    // A reset among queued commands leaves the model nothing to judge: which of them it ends is timing's.
    expect(new ModelJudge(loadModelPolicy()).judge(run)).toEqual([]);
  }, 180_000);

  // Last: the guest it hangs is no good for another test. On 7.2.22 and on 10.0.13 alike.
  it("a LUN reset through lsi53c895a while QEMU holds a READ never returns: sym53c8xx's reset hangs the guest", async () => {
    const run = await new GuestExecutor(guest.session).run(
      caseOf([`{ "host": "hold", "ms": ${holdMs} }`, read(16, 10_000), '{ "reset": "device", "path": "lsi53c895a:scsi-hd", "queued": true }'], 'lsi-reset.json'),
    );
    expect(run.failure).toMatchObject({ kind: 'hang', step: 2 });
    expect(await guest.session.vmStatus()).toBe('running');
  }, 180_000);
});
