import { BuildPairExecutor } from '../execute/build-pair-executor';
import { ExecutorSource } from '../execute/restarting-executor';
import { SessionOptions } from '../session/guest-session';
import { GuestExecutors } from './guest-executors';

/** Two guests, one per QEMU build, booted together and replaced together after either crashed or hung. */
export class BuildPairExecutors implements ExecutorSource {
  private readonly baseline: GuestExecutors;
  private readonly patched: GuestExecutors;

  constructor(options: SessionOptions & { readonly baselineQemu: string }) {
    const { baselineQemu, ...shared } = options;
    this.baseline = new GuestExecutors({ ...shared, qemu: baselineQemu });
    this.patched = new GuestExecutors(shared);
  }

  async open(): Promise<BuildPairExecutor> {
    const [baseline, patched] = await Promise.all([this.baseline.open(), this.patched.open()]);
    return new BuildPairExecutor(baseline, patched);
  }

  async close(): Promise<void> {
    await Promise.all([this.baseline.close(), this.patched.close()]);
  }
}
