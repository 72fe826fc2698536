import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { Case } from '../../harness/case/case-types';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { CaseRun } from '../../harness/execute/case-run';
import { CommandOutcome, StepOutcome } from '../../harness/execute/step-outcome';
import { ModelJudge } from '../../harness/model/model-judge';
import { loadModelPolicy } from '../../harness/model/model-policy';
import { defaultTopology } from '../../harness/qemu/topology';
import { decodeReadCapacity10 } from '../../harness/scsi/read-capacity';
import { blockBytes, initialDiskContent } from '../../harness/session/disk-content';

const caseOf = (steps: string[], name: string): Case => parseCase(`{ "format": "hbadiff-case/1", "steps": [ ${steps.join(', ')} ] }`, name);

const readCapacity = '{ "cdb": "25 00 00 00 00 00 00 00 00 00", "dir": "from-device", "length": 8 }';
const testUnitReady = '{ "cdb": "00 00 00 00 00 00", "dir": "none" }';
const lastInitialLba = defaultTopology.diskBytes / blockBytes - 1;
/** READ (10) of the disk's last block as the topology has it: past the end of a halved disk. */
const readLastBlock = `{ "cdb": "28 00 ${lastInitialLba.toString(16).padStart(8, '0').replace(/(..)(?!$)/g, '$1 ')} 00 00 01 00", "dir": "from-device", "length": 512 }`;

const command = (outcome: StepOutcome | undefined): CommandOutcome => {
  if (outcome?.kind !== 'command') throw new Error(`expected a command's outcome, got ${outcome?.kind}`);
  return outcome;
};

/** Per path: status and sense key/ASC/ASCQ of each command step, what a pause must leave as it was. */
const answers = (run: CaseRun, steps: readonly number[]): Record<string, string[]> =>
  Object.fromEntries(
    run.runs.map((pathRun) => [
      pathRun.path,
      steps.map((step) => {
        const outcome = command(pathRun.outcomes[step]);
        return `${outcome.status} ${outcome.sense.toString('hex')} ${outcome.dataIn?.toString('hex') ?? outcome.dataDigest}`;
      }),
    ]),
  );

const isUnitAttention = (outcome: CommandOutcome, asc: number, ascq: number): boolean =>
  outcome.status === 2 && (outcome.sense[2] & 0x0f) === 0x6 && outcome.sense[12] === asc && outcome.sense[13] === ascq;

/**
 * Host events as steps of a case (issue 19), carried out by QMP on a real guest under QEMU: a pause of the
 * whole VM, which no path may notice, and a resize of the disks QEMU holds, which each must report as SBC-4
 * has it and which the next case must not see.
 */
describe('host events inside a case', () => {
  const guest = bootedGuest({ topology: defaultTopology });

  it('a pause (QMP stop, then cont) between commands changes no answer on any path', async () => {
    const executor = new GuestExecutor(guest.session);
    const commands = [readCapacity, readLastBlock, testUnitReady];
    const plain = await executor.run(caseOf(commands, 'plain.json'));
    const paused = await executor.run(caseOf([commands[0], '{ "host": "pause" }', ...commands.slice(1)], 'pause.json'));
    expect(paused.failure).toBeUndefined();
    for (const pathRun of paused.runs) {
      expect(pathRun.outcomes[1]).toMatchObject({ kind: 'host', skipped: false, delivery: { answered: true, completion: 'VM paused and continued' } });
    }
    expect(answers(paused, [0, 2, 3])).toEqual(answers(plain, [0, 1, 2]));
    expect(await guest.session.vmStatus()).toBe('running');
  }, 120_000);

  it('a snapshot gives the disks QEMU holds a new active layer the guest never notices, committed back into the image when the case ends', async () => {
    const executor = new GuestExecutor(guest.session);
    const steps = [
      '{ "cdb": "2a 00 00 00 00 10 00 00 01 00", "dir": "to-device", "length": 512, "data": "a5*512" }',
      '{ "cdb": "28 00 00 00 00 10 00 00 01 00", "dir": "from-device", "length": 512 }',
      '{ "cdb": "2a 00 00 00 00 20 00 00 01 00", "dir": "to-device", "length": 512, "data": "5a*512" }',
      '{ "cdb": "28 00 00 00 00 20 00 00 01 00", "dir": "from-device", "length": 512 }',
    ];
    const plain = await executor.run(caseOf(steps, 'plain.json'));
    const snapshotted = await executor.run(caseOf([steps[0], '{ "host": "snapshot" }', ...steps.slice(1)], 'snapshot.json'));
    expect(snapshotted.failure).toBeUndefined();
    for (const pathRun of snapshotted.runs) {
      const carriedOut = pathRun.path.endsWith(':scsi-hd');
      expect([pathRun.path, pathRun.outcomes[1]]).toMatchObject([pathRun.path, { kind: 'host', skipped: !carriedOut }]);
    }
    expect(answers(snapshotted, [0, 2, 3, 4])).toEqual(answers(plain, [0, 1, 2, 3]));
    // The host's image holds both writes: the one before the snapshot and the one that went to its overlay.
    expect(snapshotted.runs.map((pathRun) => [pathRun.path, pathRun.disk?.digest])).toEqual(plain.runs.map((pathRun) => [pathRun.path, pathRun.disk?.digest]));
    expect(plain.runs.every((pathRun) => pathRun.disk?.bytes !== undefined)).toBe(true);
    const qmp = await guest.session.machine.qmp();
    const nodes = await qmp.execute<{ 'node-name': string }[]>('query-named-block-nodes');
    expect(nodes.map((node) => node['node-name']).filter((name) => name.includes('overlay'))).toEqual([]);
    // Every spec has an executor of its own, which takes the disks as they started: this one puts them back.
    await executor.run(caseOf([testUnitReady], 'restore.json'));
  }, 120_000);

  it('a resize reaches the disks QEMU holds: CAPACITY DATA HAS CHANGED, then the new capacity; the LUNs and the next case keep the old', async () => {
    const executor = new GuestExecutor(guest.session);
    const halfBytes = defaultTopology.diskBytes / 2;
    const resized = caseOf([`{ "host": "resize", "bytes": ${halfBytes} }`, readCapacity, readCapacity, readLastBlock], 'resize.json');
    const run = await executor.run(resized);
    expect(run.failure).toBeUndefined();
    const hd = run.runs.filter((pathRun) => pathRun.path.endsWith(':scsi-hd'));
    const block = run.runs.filter((pathRun) => pathRun.path.endsWith(':scsi-block'));
    expect(hd.length).toBe(2);
    expect(block.length).toBe(2);
    for (const pathRun of hd) {
      expect(pathRun.outcomes[0]).toMatchObject({ kind: 'host', skipped: false, delivery: { answered: true } });
      // The first command after the resize meets the unit attention; the one after it, the new capacity.
      expect([pathRun.path, isUnitAttention(command(pathRun.outcomes[1]), 0x2a, 0x09)]).toEqual([pathRun.path, true]);
      const capacity = command(pathRun.outcomes[2]);
      expect(capacity.status).toBe(0);
      expect(decodeReadCapacity10(capacity.dataIn as Buffer).lastLba).toBe(halfBytes / blockBytes - 1);
      // The old last block is past the end now: LOGICAL BLOCK ADDRESS OUT OF RANGE.
      const beyond = command(pathRun.outcomes[3]);
      expect([beyond.status, beyond.sense[2] & 0x0f, beyond.sense[12]]).toEqual([2, 0x5, 0x21]);
    }
    for (const pathRun of block) {
      expect(pathRun.outcomes[0]).toMatchObject({ kind: 'host', skipped: true, delivery: { answered: false } });
      expect(decodeReadCapacity10(command(pathRun.outcomes[2]).dataIn as Buffer).lastLba).toBe(lastInitialLba);
    }
    // The model follows the resize: the attention and the new capacity are what SBC-4 asks of the scsi-hd paths.
    const departures = new ModelJudge(loadModelPolicy()).judge(run).filter((divergence) => divergence.paths.every((path) => path.endsWith(':scsi-hd')));
    expect(departures).toEqual([]);

    // The next case finds every disk at the topology's size and content, with no attention left to meet.
    const next = await executor.run(caseOf([readCapacity, readLastBlock], 'next.json'));
    const lastBlock = initialDiskContent(defaultTopology.diskBytes).subarray(lastInitialLba * blockBytes);
    for (const pathRun of next.runs) {
      const capacity = command(pathRun.outcomes[0]);
      expect([pathRun.path, capacity.status]).toEqual([pathRun.path, 0]);
      expect(decodeReadCapacity10(capacity.dataIn as Buffer).lastLba).toBe(lastInitialLba);
      expect([pathRun.path, command(pathRun.outcomes[1]).dataIn?.equals(lastBlock)]).toEqual([pathRun.path, true]);
    }
  }, 120_000);

  it('an unplug takes every disk away (the guest hears of it through virtio-scsi, not megasas); a plug puts it back, and the next case finds it in place', async () => {
    const executor = new GuestExecutor(guest.session);
    const run = await executor.run(caseOf(['{ "host": "unplug" }', readCapacity, '{ "host": "plug" }', readCapacity, readCapacity, readCapacity], 'unplug.json'));
    expect(run.failure).toBeUndefined();
    const completions = Object.fromEntries(run.runs.map((pathRun) => [pathRun.path, pathRun.outcomes[0].delivery.completion]));
    expect(completions).toEqual({
      'megasas:scsi-hd': 'disk unplugged; the guest still shows it',
      'megasas:scsi-block': 'disk unplugged; the guest still shows it',
      'virtio-scsi:scsi-hd': 'disk unplugged; the guest let go of it',
      'virtio-scsi:scsi-block': 'disk unplugged; the guest let go of it',
    });
    for (const pathRun of run.runs) {
      // Gone from QEMU: megasas's DID_BAD_TARGET where the guest kept the device, ENODEV where it let go.
      expect([pathRun.path, command(pathRun.outcomes[1]).delivery.problem]).toEqual([pathRun.path, pathRun.path.startsWith('megasas') ? 'host 0x0004' : 'SG_IO errno 19']);
      expect(pathRun.outcomes[2]).toMatchObject({ kind: 'host', skipped: false, delivery: { completion: 'disks plugged back' } });
      // A new device: a power-on attention, and on virtio-scsi's bus REPORTED LUNS DATA HAS CHANGED, before the capacity.
      const attentions = pathRun.outcomes.slice(3).filter((outcome) => command(outcome).status !== 0);
      expect(attentions.every((outcome) => isUnitAttention(command(outcome), 0x29, 0x00) || isUnitAttention(command(outcome), 0x3f, 0x0e))).toBe(true);
      const last = command(pathRun.outcomes[5]);
      expect([pathRun.path, last.status, decodeReadCapacity10(last.dataIn as Buffer).lastLba]).toEqual([pathRun.path, 0, lastInitialLba]);
    }
    // Every path met the power-on attention of the device plugged back, and the model allows what each said.
    expect(run.runs.map((pathRun) => [pathRun.path, isUnitAttention(command(pathRun.outcomes[3]), 0x29, 0x00)])).toEqual(run.runs.map((pathRun) => [pathRun.path, true]));
    expect(new ModelJudge(loadModelPolicy()).judge(run)).toEqual([]);

    const next = await executor.run(caseOf([readCapacity, readLastBlock], 'after-plug.json'));
    const lastBlock = initialDiskContent(defaultTopology.diskBytes).subarray(lastInitialLba * blockBytes);
    for (const pathRun of next.runs) {
      expect([pathRun.path, command(pathRun.outcomes[0]).status]).toEqual([pathRun.path, 0]);
      expect([pathRun.path, command(pathRun.outcomes[1]).dataIn?.equals(lastBlock)]).toEqual([pathRun.path, true]);
    }
  }, 120_000);
});

/**
 * A host I/O error armed at run time (a blkdebug node reopened under the disk), on disks whose `werror` and
 * `rerror` are `stop` and on disks left at QEMU's defaults (`enospc`, `report`), behind both HBAs.
 */
describe('a host I/O error inside a case', () => {
  const stopping = { kind: 'scsi-hd' as const, properties: { werror: 'stop', rerror: 'stop' } };
  const topology = { hbas: [{ model: 'megasas' as const, disks: [stopping, 'scsi-hd' as const] }, { model: 'virtio-scsi' as const, disks: [stopping, 'scsi-hd' as const] }], diskBytes: defaultTopology.diskBytes };
  const guest = bootedGuest({ topology });
  const lba = 16;
  const data = 'c3*512';
  const write = `{ "cdb": "2a 00 00 00 00 10 00 00 01 00", "dir": "to-device", "length": 512, "data": "${data}" }`;
  const read = '{ "cdb": "28 00 00 00 00 10 00 00 01 00", "dir": "from-device", "length": 512 }';

  it('werror=stop: the VM stops, the host continues it, and the write goes through; werror at its default: the write fails', async () => {
    const executor = new GuestExecutor(guest.session);
    const stopsBefore = guest.session.ioErrorStops;
    const run = await executor.run(caseOf([`{ "host": "io-error", "io": "write", "sector": ${lba} }`, write, read], 'write-error.json'));
    expect(run.failure).toBeUndefined();
    // One stop per disk whose werror is stop, each continued; QEMU retried the write and it went through.
    expect(guest.session.ioErrorStops - stopsBefore).toBe(2);
    const byPath = Object.fromEntries(run.runs.map((pathRun) => [pathRun.path, pathRun.outcomes.slice(1).map(command)]));
    const written = Buffer.alloc(512, 0xc3);
    for (const path of ['megasas:scsi-hd', 'virtio-scsi:scsi-hd']) {
      expect([path, byPath[path][0].status]).toEqual([path, 0]);
      expect([path, byPath[path][1].dataIn?.equals(written)]).toEqual([path, true]);
    }
    // `report`: the guest gets the error as a CHECK CONDITION, and the block keeps what it had.
    const initialBlock = initialDiskContent(defaultTopology.diskBytes).subarray(lba * blockBytes, (lba + 1) * blockBytes);
    for (const path of ['megasas:scsi-hd#2', 'virtio-scsi:scsi-hd#2']) {
      expect([path, byPath[path][0].status]).toEqual([path, 2]);
      expect([path, byPath[path][1].dataIn?.equals(initialBlock)]).toEqual([path, true]);
    }
    expect(await guest.session.vmStatus()).toBe('running');

    // The fault is gone with its case: the same write in the next case goes through everywhere, no stop.
    const next = await executor.run(caseOf([write], 'after-error.json'));
    expect(next.runs.map((pathRun) => [pathRun.path, command(pathRun.outcomes[0]).status])).toEqual(next.runs.map((pathRun) => [pathRun.path, 0]));
    expect(guest.session.ioErrorStops - stopsBefore).toBe(2);
  }, 120_000);
});

/** QEMU dying under a host event is QEMU's crash, a finding like any other, not the harness's error. */
describe('a host event on a QEMU that died', () => {
  const guest = bootedGuest({ topology: { hbas: [{ model: 'virtio-scsi', disks: ['scsi-hd'] }], diskBytes: defaultTopology.diskBytes } });

  it('is the case\'s crash at that step', async () => {
    const executor = new GuestExecutor(guest.session);
    process.kill(guest.session.machine.pid, 'SIGKILL');
    const run = await executor.run(caseOf(['{ "host": "pause" }', readCapacity], 'killed.json'));
    expect(run.failure).toMatchObject({ kind: 'crash', step: 0 });
  }, 60_000);
});
