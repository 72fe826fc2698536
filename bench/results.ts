import { ScalingRow } from './campaign-scaling';
import { Measurement } from './measurement';
import { Summary } from './statistics';
import { ThroughputRow } from './throughput';
import { RestartRow } from './restart';

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
  readonly memory?: { readonly qemuRssKiB: Summary; readonly harnessRssKiB: Summary };
}
