import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { CommandOutcome } from '../../harness/execute/step-outcome';
import { defaultTopology } from '../../harness/qemu/topology';
import { decodeReadCapacity10 } from '../../harness/scsi/read-capacity';
import { blockBytes, initialDiskContent } from '../../harness/session/disk-content';

/** The logical block length of each path as READ CAPACITY (10), the last step of a run, reported it. */
const blockLengths = (outcomes: readonly (readonly CommandOutcome[])[]): number[] =>
  outcomes.map((steps) => {
    const last = steps[steps.length - 1];
    if (last.status !== 0 || !last.dataIn) throw new Error(`READ CAPACITY (10) failed: status ${last.status}, ${last.delivery.completion}`);
    return decodeReadCapacity10(last.dataIn).blockLength;
  });

const readCapacity = '{ "cdb": "25 00 00 00 00 00 00 00 00 00", "dir": "from-device", "length": 8 }';

/**
 * What a case leaves on a device besides its content must not reach the cases after it, or they see another
 * capacity than their files say and no longer replay alone: a MODE SELECT block descriptor gives scsi-disk
 * and tgtd a new logical block length, and scsi-block takes the capacity and block length from whatever READ
 * CAPACITY data the guest read last. Every case starts from 512-byte blocks and the whole capacity.
 */
describe('device state a case leaves behind', () => {
  const guest = bootedGuest({ topology: defaultTopology });

  it('holds within the case on every path, and the next case starts from 512-byte blocks again', async () => {
    const executor = new GuestExecutor(guest.session);
    const select4096 = parseCase(
      `{ "format": "hbadiff-case/1", "steps": [
        { "cdb": "15 10 00 00 0c 00", "dir": "to-device", "length": 12, "data": "00 00 00 08 00 00 00 00 00 00 10 00" },
        ${readCapacity}
      ] }`,
      'select-4096.json',
    );
    const selected = await executor.run(select4096);
    const within = blockLengths(selected.runs.map((run) => run.outcomes as CommandOutcome[]));
    // What each device made of the descriptor is its own business here; the point is what follows.
    expect(within.some((length) => length === 4096)).toBe(true);

    const after = await executor.run(parseCase(`{ "format": "hbadiff-case/1", "steps": [ ${readCapacity} ] }`, 'after.json'));
    expect(blockLengths(after.runs.map((run) => run.outcomes as CommandOutcome[]))).toEqual(after.runs.map(() => 512));
  }, 120_000);

  it('leaves no sense of a command that failed for a REQUEST SENSE in the next case, though QEMU keeps it in the device', async () => {
    const executor = new GuestExecutor(guest.session);
    // An operation code no device here implements: CHECK CONDITION, INVALID COMMAND OPERATION CODE. QEMU's SCSI
    // layer keeps that sense in the device for a later REQUEST SENSE (scsi_req_complete(), autosense or not).
    const failing = await executor.run(parseCase('{ "format": "hbadiff-case/1", "steps": [ { "cdb": "c5 00 00 00 00 00", "dir": "from-device", "length": 18 } ] }', 'failing.json'));
    expect(failing.runs.filter((run) => (run.outcomes[0] as CommandOutcome).status === 2).length).toBeGreaterThan(0);
    const next = await executor.run(parseCase('{ "format": "hbadiff-case/1", "steps": [ { "cdb": "03 00 00 00 12 00", "dir": "from-device", "length": 18 } ] }', 'next.json'));
    const senseKey = (outcome: CommandOutcome) => (outcome.dataIn ? outcome.dataIn[2] & 0x0f : undefined);
    expect(next.runs.map((run) => [run.path, senseKey(run.outcomes[0] as CommandOutcome)])).toEqual(next.runs.map((run) => [run.path, 0]));
  }, 120_000);

  it('a short READ CAPACITY (16) on scsi-block misleads the reads after it in its case only', async () => {
    const executor = new GuestExecutor(guest.session);
    const lba = 12398;
    const read = `{ "cdb": "28 00 00 00 30 6e 00 00 01 00", "dir": "from-device", "length": 512 }`;
    const expected = initialDiskContent(defaultTopology.diskBytes).subarray(lba * blockBytes, (lba + 1) * blockBytes);
    const readData = (outcomes: readonly CommandOutcome[]) => outcomes[outcomes.length - 1].dataIn;
    // READ CAPACITY (16) with an allocation length of 8: the block length QEMU snoops lies past what moved.
    const poisoned = await executor.run(
      parseCase(`{ "format": "hbadiff-case/1", "steps": [ { "cdb": "9e 10 00 00 00 00 00 00 00 00 00 00 00 08 00 00", "dir": "from-device", "length": 8 }, ${read} ] }`, 'short.json'),
    );
    const misread = poisoned.runs.filter((run) => !readData(run.outcomes as CommandOutcome[])?.equals(expected)).map((run) => run.path);
    expect(misread.every((path) => path.endsWith(':scsi-block'))).toBe(true);
    const next = await executor.run(parseCase(`{ "format": "hbadiff-case/1", "steps": [ ${read} ] }`, 'next.json'));
    expect(next.runs.filter((run) => !readData(run.outcomes as CommandOutcome[])?.equals(expected)).map((run) => run.path)).toEqual([]);
  }, 120_000);
});
