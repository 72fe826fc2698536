import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { Case } from '../../harness/case/case-types';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { StepOutcome } from '../../harness/execute/step-outcome';
import { Topology } from '../../harness/qemu/topology';
import { decodeSense } from '../../harness/scsi/sense';

const topology: Topology = {
  hbas: [
    { model: 'virtio-scsi', disks: ['scsi-hd'] },
    { model: 'virtio-scsi-iothread', disks: ['scsi-hd'] },
  ],
  diskBytes: 8 * 1024 * 1024,
};

const caseOf = (steps: string[], name: string): Case => parseCase(`{ "format": "hbadiff-case/1", "steps": [ ${steps.join(', ')} ] }`, name);

/** What a step did, as a person compares two paths: a command's status and sense, or a host event's completion. */
const said = (outcome: StepOutcome): string =>
  outcome.kind === 'command' ? `${outcome.status} ${outcome.sense.subarray(0, 14).toString('hex')}` : `${outcome.kind} ${outcome.delivery.completion}`;

const senseOf = (outcome: StepOutcome) => (outcome.kind === 'command' ? decodeSense(outcome.sense) : undefined);

/** The QEMU release before the one with "virtio-scsi: reset SCSI devices from main loop thread" (8.0). */
const resetsInIothread = (version: string): boolean => Number(version.split('.')[0]) < 8;

/**
 * virtio-scsi with an iothread (issue 19): the same emulation, its requests and its disks' I/O in another
 * AioContext. Host events and queued groups must answer as they do on the main loop; a LUN reset is where
 * QEMU before 8.0 drained a disk from the iothread and asserted in blk_drain.
 */
describe('virtio-scsi with an iothread', () => {
  const guest = bootedGuest({ topology });

  it('has its HBA in an iothread of its own, and answers host events and queued groups as virtio-scsi on the main loop does', async () => {
    const qmp = await guest.session.machine.qmp();
    expect(await qmp.execute<{ id: string }[]>('query-iothreads')).toEqual([expect.objectContaining({ id: 'hba1-iothread' })]);
    const executor = new GuestExecutor(guest.session);
    const run = await executor.run(
      caseOf(
        [
          '{ "cdb": "28 00 00 00 00 00 00 00 08 00", "dir": "from-device", "length": 4096, "queued": true }',
          '{ "cdb": "2a 00 00 00 00 10 00 00 08 00", "dir": "to-device", "length": 4096, "data": "5a*4096", "queued": true }',
          '{ "cdb": "28 00 00 00 00 08 00 00 08 00", "dir": "from-device", "length": 4096, "queued": true }',
          '{ "host": "resize", "bytes": 4194304 }',
          '{ "cdb": "25 00 00 00 00 00 00 00 00 00", "dir": "from-device", "length": 8 }',
          '{ "host": "io-error", "io": "read", "sector": 0 }',
          '{ "cdb": "28 00 00 00 00 00 00 00 01 00", "dir": "from-device", "length": 512 }',
          '{ "host": "unplug" }',
          '{ "host": "plug" }',
          '{ "cdb": "00 00 00 00 00 00", "dir": "none" }',
          '{ "host": "pause" }',
          '{ "cdb": "00 00 00 00 00 00", "dir": "none" }',
        ],
        'iothread-host-events.json',
      ),
    );
    expect(run.failure).toBeUndefined();
    const [mainLoop, iothread] = run.runs;
    expect([mainLoop.path, iothread.path]).toEqual(['virtio-scsi:scsi-hd', 'virtio-scsi-iothread:scsi-hd']);
    expect(iothread.outcomes.map(said)).toEqual(mainLoop.outcomes.map(said));
    // Each event did something: a capacity change, then an error for the faulted read.
    expect(senseOf(iothread.outcomes[4])).toMatchObject({ key: 0x6, asc: 0x2a, ascq: 0x09 });
    expect(senseOf(iothread.outcomes[6])).toMatchObject({ key: 0xb });
    expect(iothread.disk?.digest).toBe(mainLoop.disk?.digest);
  }, 180_000);

  it(`survives a LUN reset as the main loop's virtio-scsi does, or (QEMU before 8.0) dies of blk_drain's assertion`, async () => {
    const run = await new GuestExecutor(guest.session).run(caseOf(['{ "reset": "device" }', '{ "cdb": "00 00 00 00 00 00", "dir": "none" }'], 'iothread-reset.json'));
    if (resetsInIothread(guest.session.qemu.version)) {
      expect(run.failure).toMatchObject({ kind: 'crash', step: 0 });
      expect(run.failure?.detail).toMatch(/blk_drain: Assertion `qemu_in_main_thread\(\)' failed/);
    } else {
      expect(run.failure).toBeUndefined();
    }
  }, 180_000);
});
