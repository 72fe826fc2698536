import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { CaseRun } from './case-run';
import { Executor } from './executor';
import { phaseClock } from '../profile/phase-clock';

/** Where executors come from: a fresh one (a freshly booted guest, say) after the last one's QEMU crashed or its guest hung. */
export interface ExecutorSource {
  open(): Promise<Executor>;
  /** Ends the current executor and whatever the source keeps for it. */
  close(): Promise<void>;
  /** Ends the current executor and opens a fresh one, more cheaply than close and open where the source can (a saved guest). */
  replace?(): Promise<Executor>;
}

/**
 * An executor that outlives crashes and hangs: after a run that ended in one, it closes the broken executor
 * and opens a fresh one before the next run, so that a campaign or a shrink goes on where a guest could not.
 */
export class RestartingExecutor implements Executor {
  private restartCount = 0;

  private constructor(
    private readonly source: ExecutorSource,
    private current: Executor,
  ) {}

  static async open(source: ExecutorSource): Promise<RestartingExecutor> {
    return new RestartingExecutor(source, await source.open());
  }

  get paths(): readonly PathId[] {
    return this.current.paths;
  }

  get qemuVersion(): string {
    return this.current.qemuVersion;
  }

  get baselineQemuVersion(): string | undefined {
    return this.current.baselineQemuVersion;
  }

  /** How many times a broken executor was replaced. */
  get restarts(): number {
    return this.restartCount;
  }

  async run(testCase: Case): Promise<CaseRun> {
    const run = await this.current.run(testCase);
    if (run.failure) {
      this.current = await phaseClock.time('fresh guest after a failure', async () => {
        if (this.source.replace) return this.source.replace();
        await this.source.close();
        return this.source.open();
      });
      this.restartCount++;
    }
    return run;
  }
}
