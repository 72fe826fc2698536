import { Case } from '../case/case-types';
import { PathId, Topology } from '../qemu/topology';
import { topologyFor } from '../session/case-topology';
import { CaseRun } from './case-run';
import { Executor } from './executor';
import { ExecutorSource, RestartingExecutor } from './restarting-executor';

/**
 * Runs each case on a guest of the topology its paths need (the default one, or one HBA per path for a wide
 * campaign's case), each guest started when a case first needs it and kept for the next: a baseline holds
 * cases of both, and each must replay on the guest it was found on.
 */
export class ExecutorPerTopology implements Executor {
  private readonly open = new Map<string, { readonly source: ExecutorSource; readonly executor: Promise<RestartingExecutor> }>();
  private last: RestartingExecutor | undefined;

  constructor(private readonly sourceFor: (topology: Topology) => ExecutorSource) {}

  get paths(): readonly PathId[] {
    return this.last?.paths ?? [];
  }

  get qemuVersion(): string {
    if (!this.last) throw new Error('no case has run yet: the QEMU version is not known');
    return this.last.qemuVersion;
  }

  async run(testCase: Case): Promise<CaseRun> {
    const topology = topologyFor(testCase);
    const key = JSON.stringify(topology);
    let guest = this.open.get(key);
    if (!guest) {
      const source = this.sourceFor(topology);
      guest = { source, executor: RestartingExecutor.open(source) };
      this.open.set(key, guest);
    }
    this.last = await guest.executor;
    return this.last.run(testCase);
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((guest) => guest.source.close()));
    this.open.clear();
  }
}
