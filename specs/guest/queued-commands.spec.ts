import { bootedGuest } from './booted-guest';
import { parseCase } from '../../harness/case/parse-case';
import { Case } from '../../harness/case/case-types';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { CaseRun } from '../../harness/execute/case-run';
import { CommandOutcome } from '../../harness/execute/step-outcome';
import { ModelJudge } from '../../harness/model/model-judge';
import { loadModelPolicy } from '../../harness/model/model-policy';
import { defaultTopology } from '../../harness/qemu/topology';
import { blockBytes, initialDiskContent } from '../../harness/session/disk-content';

const hex16 = (value: number): string => value.toString(16).padStart(4, '0').replace(/(..)(..)/, '$1 $2');
const read = (lba: number, queued: boolean) => `{ "cdb": "28 00 00 00 ${hex16(lba)} 00 00 08 00", "dir": "from-device", "length": 4096${queued ? ', "queued": true' : ''} }`;
const write = (lba: number, queued: boolean) => `{ "cdb": "2a 00 00 00 ${hex16(lba)} 00 00 01 00", "dir": "to-device", "length": 512, "data": "5a*512"${queued ? ', "queued": true' : ''} }`;
const caseOf = (queued: boolean): Case =>
  parseCase(`{ "format": "hbadiff-case/1", "steps": [ ${[read(0, queued), read(100, queued), write(200, queued), read(200, queued), read(300, queued)].join(', ')} ] }`, 'group.json');

/** The most requests QEMU's SCSI layer held at once while the case ran: parsed and not yet dequeued. */
const mostInFlight = (names: readonly string[]): number => {
  let inFlight = 0;
  let most = 0;
  for (const name of names) {
    if (name === 'scsi_req_parsed') most = Math.max(most, ++inFlight);
    if (name === 'scsi_req_dequeue') inFlight--;
  }
  return most;
};

/**
 * Queue depth (issue 19): a run of queued steps goes to every path at once through sg's asynchronous
 * interface, and completes in whatever order the devices finish; each answer is its own, ranked by when it came.
 */
describe('a group of queued commands', () => {
  const guest = bootedGuest({ topology: defaultTopology });

  const runTraced = async (testCase: Case): Promise<{ run: CaseRun; inFlight: number }> => {
    const mark = guest.session.trace.mark();
    const run = await new GuestExecutor(guest.session).run(testCase);
    return { run, inFlight: mostInFlight(guest.session.trace.eventsSince(mark).map((event) => event.name)) };
  };

  it('is in flight in QEMU at once, where the same steps unqueued go one at a time', async () => {
    const queued = await runTraced(caseOf(true));
    const serial = await runTraced(caseOf(false));
    expect(queued.run.failure).toBeUndefined();
    expect(serial.inFlight).toBe(1);
    expect(queued.inFlight).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('answers each command on its own, ranks the completions on each path, and the model takes the group in some serial order', async () => {
    const { run } = await runTraced(caseOf(true));
    const content = initialDiskContent(defaultTopology.diskBytes);
    for (const pathRun of run.runs) {
      const outcomes = pathRun.outcomes as CommandOutcome[];
      expect([pathRun.path, outcomes.map((outcome) => outcome.status)]).toEqual([pathRun.path, [0, 0, 0, 0, 0]]);
      expect([pathRun.path, outcomes.map((outcome) => outcome.completedAs).sort()]).toEqual([pathRun.path, [0, 1, 2, 3, 4]]);
      // Each READ has its own blocks, whichever finished first.
      expect(outcomes[1].dataIn?.equals(content.subarray(100 * blockBytes, 108 * blockBytes))).toBe(true);
      expect(outcomes[4].dataIn?.equals(content.subarray(300 * blockBytes, 308 * blockBytes))).toBe(true);
    }
    expect(new ModelJudge(loadModelPolicy()).judge(run)).toEqual([]);
  }, 120_000);
});
