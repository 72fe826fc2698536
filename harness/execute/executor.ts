import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { CaseRun } from './case-run';

/**
 * Runs a case on every path it can reach. The guest over its console is one way; QEMU's qtest protocol
 * driving the HBAs directly will be another, behind the same interface, so that the case, the comparison
 * and the findings never know how a command reached the device.
 */
export interface Executor {
  readonly paths: readonly PathId[];
  /** The QEMU the commands reach, as `--version` says it, for the provenance of what is found. */
  readonly qemuVersion: string;
  /** When the executor compares two builds: the version of the one the QEMU under test is compared with. */
  readonly baselineQemuVersion?: string;
  run(testCase: Case): Promise<CaseRun>;
}
