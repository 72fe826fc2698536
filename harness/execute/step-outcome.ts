import { KernelLogRecord } from '../guest/messages';
import { ScsiCommand } from '../scsi/command';
import { CodeBranch } from '../qemu/trace/code-branch';

/** What one path answered to one command: everything the comparison and the report may look at. */
export interface CommandOutcome {
  readonly kind: 'command';
  readonly command: ScsiCommand;
  /** Non-zero when the SG_IO call itself failed in the guest; the fields below are then zero. */
  readonly errno: number;
  readonly status: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
  readonly sense: Buffer;
  readonly residual: number;
  /** The whole host buffer after the command; absent when only its digest travelled back. */
  readonly dataIn: Buffer | undefined;
  /** FNV-1a 64 of the whole host buffer after the command (0 for no data-in). */
  readonly dataDigest: bigint;
  /** The guest kernel's messages while the command ran. */
  readonly kernelLog: readonly KernelLogRecord[];
  readonly durationNs: bigint;
  /** The error branches QEMU's trace shows this command took (none where it took none, or nothing traced it). */
  readonly branches: readonly CodeBranch[];
}

/** What a reset step did on one path: `skipped` where the step was aimed at another path's device. */
export interface ResetOutcome {
  readonly kind: 'reset';
  readonly errno: number;
  readonly skipped: boolean;
  /** What the guest kernel said about the reset, up to the moment the executor moved on. */
  readonly kernelLog: readonly KernelLogRecord[];
}

export type StepOutcome = CommandOutcome | ResetOutcome;
