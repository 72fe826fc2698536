import { BuildPairExecutor } from '../execute/build-pair-executor';
import { ExecutorSource } from '../execute/restarting-executor';

/** One executor per QEMU build (a guest each, or a qtest QEMU each), opened together and replaced together after either crashed or hung. */
export class BuildPairExecutors implements ExecutorSource {
  constructor(
    private readonly baseline: ExecutorSource,
    private readonly patched: ExecutorSource,
  ) {}

  async open(): Promise<BuildPairExecutor> {
    const [baseline, patched] = await Promise.all([this.baseline.open(), this.patched.open()]);
    return new BuildPairExecutor(baseline, patched);
  }

  async close(): Promise<void> {
    await Promise.all([this.baseline.close(), this.patched.close()]);
  }
}
