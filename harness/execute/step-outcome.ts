import { ScsiCommand } from '../scsi/command';
import { CodeBranch } from '../qemu/trace/code-branch';
import { Delivery } from './delivery';
import { TransportDetails } from './transport-details';

/** One message of the side that sent the command (the guest kernel's log); 0 emerg .. 7 debug. */
export interface LogRecord {
  readonly level: number;
  readonly text: string;
}

/**
 * What one path answered to one command: the device's answer (status, sense, residual, data) and how the
 * transport delivered it, which is all the comparison, the model and the findings judge; the transport's own
 * fields ride beside them for the reports.
 */
export interface CommandOutcome {
  readonly kind: 'command';
  readonly command: ScsiCommand;
  readonly delivery: Delivery;
  /** The device's; zero where the delivery says it never answered. */
  readonly status: number;
  readonly sense: Buffer;
  readonly residual: number;
  /** The whole host buffer after the command; absent when only its digest travelled back. */
  readonly dataIn: Buffer | undefined;
  /** FNV-1a 64 of the whole host buffer after the command (0 for no data-in). */
  readonly dataDigest: bigint;
  /** What the sending side logged while the command ran: the guest kernel's messages; none at frame level. */
  readonly log: readonly LogRecord[];
  readonly durationNs: bigint;
  /** The error branches QEMU's trace shows this command took (none where it took none, or nothing traced it). */
  readonly branches: readonly CodeBranch[];
  /**
   * For a queued step: its rank, from 0, among its group's completions on this path (which may differ from
   * path to path and run to run: the comparison leaves it be); undefined for a step run on its own.
   */
  readonly completedAs?: number;
  readonly transport: TransportDetails;
}

/** What a reset step did on one path: `skipped` where the step was aimed at another path's device. */
export interface ResetOutcome {
  readonly kind: 'reset';
  readonly delivery: Delivery;
  readonly skipped: boolean;
  /** What the sending side logged about the reset, up to the moment the executor moved on. */
  readonly log: readonly LogRecord[];
}

/** What a host event did on one path: `skipped` where it does not reach the path's disk (a resize of a passed-through LUN). */
export interface HostOutcome {
  readonly kind: 'host';
  readonly delivery: Delivery;
  readonly skipped: boolean;
  /** What the sending side logged once the event was over (the guest's driver told of a new capacity, say). */
  readonly log: readonly LogRecord[];
}

export type StepOutcome = CommandOutcome | ResetOutcome | HostOutcome;
