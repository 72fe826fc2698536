import { Case } from '../case/case-types';
import { PathId, Topology } from '../qemu/topology';
import { topologyFor } from '../session/case-topology';
import { CaseRun } from './case-run';
import { Executor } from './executor';
import { ExecutorSource, RestartingExecutor } from './restarting-executor';

const maxOpenGuests = 2;

interface OpenGuest {
  readonly topology: Topology;
  readonly source: ExecutorSource;
  readonly executor: Promise<RestartingExecutor>;
}

/**
 * Runs each case on a guest that has the paths it names: one already running when one has them all (a case
 * shrunk to two of a wide campaign's eleven HBAs runs where it was found), else one of the topology the case
 * needs (the default one, or one HBA per path), started then and kept for the next. A baseline holds cases
 * of several topologies, and each must replay on a guest like the one it was found on.
 */
export class ExecutorPerTopology implements Executor {
  private readonly open: OpenGuest[] = [];
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
    const needed = topologyFor(testCase);
    let guest: OpenGuest | undefined;
    for (const candidate of this.open) {
      if (await this.fits(candidate, testCase, needed)) {
        guest = candidate;
        break;
      }
    }
    if (!guest) {
      // Two guests at most, the default topology's and one other, so that a baseline of many narrow cases
      // does not keep a guest up for each.
      if (this.open.length >= maxOpenGuests) await this.open.shift()?.source.close();
      const source = this.sourceFor(needed);
      guest = { topology: needed, source, executor: RestartingExecutor.open(source) };
      this.open.push(guest);
    }
    this.last = await guest.executor;
    return this.last.run(testCase);
  }

  /** A case naming no paths runs on the default topology's; one naming paths, on any guest that has them. */
  private async fits(guest: OpenGuest, testCase: Case, needed: Topology): Promise<boolean> {
    if (guest.topology.diskBytes !== needed.diskBytes) return false;
    if (testCase.paths === undefined) return JSON.stringify(guest.topology) === JSON.stringify(needed);
    const paths = (await guest.executor).paths;
    return testCase.paths.every((path) => paths.includes(path));
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((guest) => guest.source.close()));
    this.open.length = 0;
  }
}
