import { ResetKind } from '../scsi/reset-kind';
import { PathId } from '../qemu/topology';
import { ScsiCommand } from '../scsi/command';

export const CASE_FORMAT = 'hbadiff-case/1';

/** `pattern`: the harness's per-block pattern (harness/session/disk-content.ts); `zero`: all zero bytes. */
export type DiskContent = 'pattern' | 'zero';

export interface CaseDisk {
  readonly bytes: number;
  readonly content: DiskContent;
}

/** Where a case came from, for people and for tools that regenerate or triage it; replay ignores it. */
export interface CaseProvenance {
  readonly seed?: number;
  readonly fastCheckPath?: string;
  readonly qemuVersion?: string;
  readonly baselineQemuVersion?: string;
  readonly harnessVersion?: string;
  readonly signature?: string;
  /** ISO 8601. */
  readonly createdAt?: string;
  readonly note?: string;
}

/** Free-form, for tools that later attach expectations to a step; the format only requires an object. */
export type StepExpectation = Readonly<Record<string, unknown>>;

export interface CommandStep {
  readonly kind: 'command';
  readonly command: ScsiCommand;
  readonly timeoutMs?: number;
  /**
   * In flight together with the queued steps right before and after it, on every path at once: a run of
   * consecutive queued steps is one group, issued together and completing in whatever order the devices finish.
   */
  readonly queued?: true;
  readonly expect?: StepExpectation;
}

export interface ResetStep {
  readonly kind: 'reset';
  readonly reset: ResetKind;
  /** The one path whose device the reset is aimed at; absent, each path's own device. */
  readonly path?: PathId;
  /**
   * One of the queued steps around it, as a command step can be: the reset is issued once the group's
   * commands before it are in flight, before any of them is taken back (a task management function aimed
   * at a path with commands queued on it).
   */
  readonly queued?: true;
  readonly expect?: StepExpectation;
}

/**
 * What the host does to the VM or to its disks between two steps, through QMP: `pause` stops the VM and
 * continues it; `resize` gives every disk QEMU itself holds (scsi-hd's file) a new size, which SBC-4 has the
 * device report as CAPACITY DATA HAS CHANGED (a passed-through LUN is the target's, and tgtd resizes none);
 * `unplug` takes every path's disk device away and `plug` puts it back; `io-error` makes the next read or
 * write request of every disk QEMU holds that covers `sector` (512 bytes) fail with EIO on the host, once,
 * which the disk's `werror`/`rerror` property turns into an error for the guest or a stopped VM; `snapshot`
 * takes an external snapshot of every disk QEMU holds (a new qcow2 active layer whose backing file is the
 * disk's image), which the guest must not notice, committed back when the case ends; `hold` makes QEMU hold
 * every read and write of the disks it holds for `ms` milliseconds from this step (a command whose guest
 * timeout is shorter meets the guest driver's error handling: an abort, or a wait, as the driver does).
 */
export type HostEvent =
  | { readonly kind: 'pause' }
  | { readonly kind: 'unplug' }
  | { readonly kind: 'plug' }
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'resize'; readonly bytes: number }
  | { readonly kind: 'hold'; readonly ms: number }
  | { readonly kind: 'io-error'; readonly io: 'read' | 'write'; readonly sector: number };

export interface HostStep {
  readonly kind: 'host';
  readonly event: HostEvent;
  readonly expect?: StepExpectation;
}

export type CaseStep = CommandStep | ResetStep | HostStep;

/** A replayable sequence of steps: the unit findings, replay, shrinking, bisection and the corpus share. */
export interface Case {
  /** Absent: every path of the default topology. */
  readonly paths?: readonly PathId[];
  /** Absent: the harness's default disk. */
  readonly disk?: CaseDisk;
  readonly provenance?: CaseProvenance;
  /** Never empty. */
  readonly steps: readonly CaseStep[];
}
