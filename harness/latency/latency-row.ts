import { PathId } from '../qemu/topology';

/** Percentiles of one command's in-guest SG_IO time on one path, and how much of it QEMU's HBA and SCSI layer took. */
export interface LatencyRow {
  readonly path: PathId;
  readonly command: string;
  /** Commands timed: fewer than asked when an ioctl failed (`errno`). */
  readonly commands: number;
  readonly errno: number;
  /** Commands whose status, host status or driver status was not 0. */
  readonly notGood: number;
  /** In-guest SG_IO time, µs. */
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  /** Median share of the SG_IO time from the HBA receiving the command to the SCSI layer completing it; absent when no command reached the SCSI layer. */
  readonly hbaShare?: number;
  /** Commands whose HBA and SCSI layer events were found in QEMU's trace. */
  readonly traced: number;
}
