import { ExecutorSource } from '../execute/restarting-executor';
import { probeQemu } from '../qemu/binary';
import { locateQtestQemu } from './qtest-qemu';
import { Topology } from '../qemu/topology';
import { QtestExecutor } from './qtest-executor';

/** Frame-level executors for a campaign: one QtestExecutor (its disks and tgtd) at a time, a fresh one after a target failure. */
export class QtestExecutors implements ExecutorSource {
  private current: QtestExecutor | undefined;

  constructor(private readonly options: { readonly qemu?: string; readonly topology: Topology }) {}

  async open(): Promise<QtestExecutor> {
    const qemu = await probeQemu(await locateQtestQemu(this.options.qemu));
    this.current = await QtestExecutor.open(qemu, this.options.topology);
    return this.current;
  }

  /** A crash or a hang ended only that QEMU (the executor starts the next): the disks and tgtd are made again only after a target failure. */
  async replace(): Promise<QtestExecutor> {
    if (this.current && !(await this.current.targetFailed())) return this.current;
    await this.close();
    return this.open();
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.close();
  }
}
