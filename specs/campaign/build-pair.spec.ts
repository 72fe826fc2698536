import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Case } from '../../harness/case/case-types';
import { parseCase } from '../../harness/case/parse-case';
import { BuildPairExecutors } from '../../harness/campaign/build-pair-executors';
import { GuestExecutors } from '../../harness/campaign/guest-executors';
import { runCampaign } from '../../harness/campaign/campaign';
import { caseGenerator } from '../../harness/campaign/case-generator';
import { compareRuns } from '../../harness/diff/compare-runs';
import { defaultPolicyFile, loadPolicy } from '../../harness/diff/load-policy';
import { RestartingExecutor } from '../../harness/execute/restarting-executor';
import { FindingsStore } from '../../harness/findings/findings-store';
import { causesOf } from '../../harness/findings/causes';
import { locateQemu } from '../../harness/qemu/binary';
import { Topology } from '../../harness/qemu/topology';
import { blockBytes } from '../../harness/session/disk-content';
import { vendorChangedBuild } from '../fixtures/qemu-wrappers';

const topology: Topology = {
  hbas: [
    { model: 'megasas', disks: ['scsi-hd'] },
    { model: 'virtio-scsi', disks: ['scsi-hd'] },
  ],
  diskBytes: 8 * 1024 * 1024,
};
const policy = loadPolicy(defaultPolicyFile);

/**
 * A patched build that aborts as soon as a READ (10) reaches the SCSI layer: the real QEMU, watched through
 * its own scsi_req_parsed trace event, sent SIGABRT, and the wrapper then dies of the same signal, as a
 * QEMU failing an assertion would.
 */
const abortsOnRead10 = (qemu: string) => `#!/bin/bash
trace=$(mktemp)
# A background job's stdin would be /dev/null: QEMU's console must stay the terminal it was given.
${qemu} "$@" -trace "enable=scsi_req_parsed,file=$trace" <&0 &
qemu=$!
# QEMU keeps the console; the shell's own notices ("Aborted") must not land in the agent's byte stream.
exec 2>/dev/null
trap 'kill -TERM $qemu 2>/dev/null' TERM INT HUP
( tail -n +1 -F --pid=$qemu "$trace" 2>/dev/null | grep -q -m1 'command 40 ' && kill -ABRT $qemu ) &
while :; do
  wait $qemu
  status=$?
  kill -0 $qemu 2>/dev/null || break
done
rm -f "$trace"
if [ $status -gt 128 ]; then
  trap - TERM INT HUP
  kill -s $((status - 128)) $$
fi
exit $status
`;

const inquiryThenRead: Case = parseCase(
  JSON.stringify({
    format: 'hbadiff-case/1',
    steps: [
      { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 },
      { cdb: '28 00 00 00 00 00 00 00 01 00', dir: 'from-device', length: 512 },
      { cdb: '00 00 00 00 00 00', dir: 'none' },
      { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 },
    ],
  }),
  'inquiry-then-read.json',
);

/** `--baseline-qemu`: each path against itself on another build, proven with one real QEMU and two wrappers around it. */
describe('comparing two QEMU builds', () => {
  const qemu = locateQemu(undefined);
  let dir: string;
  const wrapper = (name: string, script: string): string => {
    const file = join(dir, name);
    writeFileSync(file, script);
    chmodSync(file, 0o755);
    return file;
  };
  /** The cases in order on one pair of guests; every divergence they showed, signed. */
  const runCases = async (patched: string, cases: readonly Case[]) => {
    const executors = new BuildPairExecutors(new GuestExecutors({ topology, qemu, accelerator: 'tcg' }), new GuestExecutors({ topology, qemu: patched, accelerator: 'tcg' }));
    try {
      const executor = await RestartingExecutor.open(executors);
      const found = [];
      for (const testCase of cases) {
        const run = await executor.run({ ...testCase, paths: executor.paths });
        found.push(...causesOf(compareRuns(run, policy), run));
      }
      return found;
    } finally {
      await executors.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-builds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing between a build and itself over generated cases', async () => {
    const executors = new BuildPairExecutors(new GuestExecutors({ topology, qemu, accelerator: 'tcg' }), new GuestExecutors({ topology, qemu, accelerator: 'tcg' }));
    const store = new FindingsStore(join(dir, 'same'));
    try {
      const progress = await runCampaign({
        seed: 20261126,
        timeMs: 240_000,
        maxCases: 40,
        policy,
        store,
        executors: [executors],
        generate: caseGenerator({ blocks: topology.diskBytes / blockBytes, blockBytes }, undefined),
      });
      expect(progress.cases).toBeGreaterThanOrEqual(20);
      expect([...progress.tallies.values()].map((tally) => tally.signature.text)).toEqual([]);
    } finally {
      await executors.close();
    }
  }, 400_000);

  it('catches a changed vendor string on the one path whose disk changed, in the data of INQUIRY', async () => {
    const found = await runCases(wrapper('vendor-changed', vendorChangedBuild(qemu)), [inquiryThenRead]);
    // Both INQUIRYs of the case show it, under one signature.
    expect([...new Set(found.map(({ signature }) => signature.text))]).toEqual(['12/standard:data:megasas:scsi-hd:baseline~patched:differs|differs']);
    // One finding, seen through both of them.
    expect(found.map(({ divergence, seenThrough }) => [divergence.step, ...divergence.paths, seenThrough.length])).toEqual([
      [0, 'megasas:scsi-hd@baseline', 'megasas:scsi-hd@patched', 2],
    ]);
  }, 180_000);

  it('reports a crash of the patched build alone as a crash of the patched build', async () => {
    // The watcher sees the READ in QEMU's trace file a moment after QEMU does: the abort may land on a later case.
    const found = await runCases(wrapper('aborts-on-read10', abortsOnRead10(qemu)), [inquiryThenRead, inquiryThenRead, inquiryThenRead]);
    const crashes = found.filter(({ divergence }) => divergence.field === 'crash');
    expect([...new Set(crashes.map(({ signature }) => signature.text))]).toEqual(['crash:killed by signal 6@patched']);
    expect(crashes[0].divergence.paths.every((path) => path.endsWith('@patched'))).toBe(true);
  }, 180_000);
});
