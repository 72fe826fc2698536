import { Case } from '../../../harness/case/case-types';
import { CaseRun } from '../../../harness/execute/case-run';
import { Executor } from '../../../harness/execute/executor';
import { ExecutorPerTopology } from '../../../harness/execute/executor-per-topology';
import { ExecutorSource } from '../../../harness/execute/restarting-executor';
import { layoutTopology, PathId, Topology } from '../../../harness/qemu/topology';

/** Guests that only say which paths they have and which case ran on them. */
const guests = () => {
  const log: string[] = [];
  const sourceFor = (topology: Topology): ExecutorSource => {
    const paths = layoutTopology(topology).map((layout) => layout.path);
    const name = paths.join(',');
    const executor: Executor = {
      paths,
      qemuVersion: '7.2.22',
      run: async (testCase: Case): Promise<CaseRun> => {
        log.push(`${(testCase.paths ?? ['default']).join(',')} on ${name}`);
        return { case: testCase, initialContent: Buffer.alloc(0), runs: [], failure: undefined };
      },
    };
    log.push(`open ${name}`);
    return { open: async () => executor, close: async () => void log.push(`close ${name}`) };
  };
  return { log, executor: new ExecutorPerTopology(sourceFor) };
};

const caseOn = (paths?: string[]): Case => ({ ...(paths && { paths: paths as PathId[] }), steps: [] });

describe('ExecutorPerTopology', () => {
  it('runs a case on a guest that has its paths, starts one of its topology where none has, and keeps two at most', async () => {
    const { log, executor } = guests();
    const wide = ['lsi53c895a:scsi-hd', 'pvscsi:scsi-hd', 'usb-bot:scsi-hd'];
    await executor.run(caseOn(wide));
    await executor.run(caseOn(['pvscsi:scsi-hd', 'usb-bot:scsi-hd']));
    await executor.run(caseOn());
    await executor.run(caseOn(['megasas:scsi-hd', 'virtio-scsi:scsi-block']));
    await executor.run(caseOn(['mptsas1068:scsi-hd', 'pvscsi:scsi-hd']));
    await executor.close();
    const defaults = 'megasas:scsi-hd,megasas:scsi-block,virtio-scsi:scsi-hd,virtio-scsi:scsi-block';
    expect(log).toEqual([
      `open ${wide.join(',')}`,
      `${wide.join(',')} on ${wide.join(',')}`,
      `pvscsi:scsi-hd,usb-bot:scsi-hd on ${wide.join(',')}`,
      `open ${defaults}`,
      `default on ${defaults}`,
      `megasas:scsi-hd,virtio-scsi:scsi-block on ${defaults}`,
      `close ${wide.join(',')}`,
      'open mptsas1068:scsi-hd,pvscsi:scsi-hd',
      'mptsas1068:scsi-hd,pvscsi:scsi-hd on mptsas1068:scsi-hd,pvscsi:scsi-hd',
      `close ${defaults}`,
      'close mptsas1068:scsi-hd,pvscsi:scsi-hd',
    ]);
  });
});
