import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { CommandOutcome } from '../../harness/execute/step-outcome';
import { defaultTopology } from '../../harness/qemu/topology';
import { decodeReadCapacity10 } from '../../harness/scsi/read-capacity';

/** The logical block length of each path as READ CAPACITY (10), the last step of a run, reported it. */
const blockLengths = (outcomes: readonly (readonly CommandOutcome[])[]): number[] =>
  outcomes.map((steps) => {
    const last = steps[steps.length - 1];
    if (last.status !== 0 || !last.dataIn) throw new Error(`READ CAPACITY (10) failed: status ${last.status}, host status ${last.hostStatus}`);
    return decodeReadCapacity10(last.dataIn).blockLength;
  });

const readCapacity = '{ "cdb": "25 00 00 00 00 00 00 00 00 00", "dir": "from-device", "length": 8 }';

/**
 * A MODE SELECT block descriptor gives scsi-disk and tgtd a new logical block length, and both keep it: a
 * case that selects one must not leave it to the cases after it, or they see another capacity than their
 * files say and no longer replay alone. Every case starts from 512-byte blocks, as from its disk content.
 */
describe('the logical block length a case selects', () => {
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
});
