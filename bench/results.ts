import { ScalingRow } from './campaign-scaling';
import { Measurement } from './measurement';
import { Summary } from './statistics';
import { ThroughputRow } from './throughput';
import { RestartRow } from './restart';
import { FrameRow } from './frames';

/** What `npm run bench` writes to results.json, and renders as Markdown. */
export interface BenchResults {
  readonly profile: string;
  readonly takenAt: string;
  readonly host: string;
  readonly setup: string;
  readonly boot?: Measurement;
  readonly bootAllHbas?: Measurement;
  readonly restart?: RestartRow;
  readonly throughput?: readonly ThroughputRow[];
  readonly campaign?: readonly ScalingRow[];
  /** Per HBA at frame level (QEMU under qtest, no guest). */
  readonly frames?: readonly FrameRow[];
  readonly memory?: { readonly qemuRssKiB: Summary; readonly harnessRssKiB: Summary };
}
