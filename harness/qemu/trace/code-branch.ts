/** The parts of an answer a branch of QEMU's code can decide: the command's result, or how much data moved. */
export type AnswerPart = 'result' | 'transfer';

/**
 * A trace event QEMU emits on one branch of its code that decides an answer: an error branch of an HBA
 * (megasas refusing a frame without scatter-gather entries) or of the SCSI layer (a CDB it cannot parse).
 */
export interface BranchEvent {
  readonly event: string;
  readonly decides: readonly AnswerPart[];
  /** A route a command takes rather than an error (megasas's LD I/O frames): it names a cause only where no error branch does. */
  readonly route?: boolean;
  /**
   * Where one event covers several branches, the argument that tells them apart (virtio-scsi's response
   * code), as it should be named; undefined when this occurrence is not a branch worth naming (response 0).
   */
  readonly branchOf?: (args: string) => string | undefined;
}

/** One branch a command took on its way through QEMU, as a cause names it. */
export interface CodeBranch {
  /** The trace event, with the argument that names the branch where one event covers several: `virtio_scsi_cmd_resp response=1`. */
  readonly name: string;
  readonly decides: readonly AnswerPart[];
  readonly route?: boolean;
}

/**
 * Where an HBA takes a command from the guest, and which target it is for where the event says so (where it
 * does not, the SCSI layer's parse event that follows does).
 */
export interface ReceiveEvent {
  readonly event: string;
  readonly targetOf?: (args: string) => number | undefined;
  /** The guest's operation code, where the event names it before the HBA rewrites the CDB. */
  readonly opcodeOf?: (args: string) => number | undefined;
}

/** What an HBA's trace says about the commands it takes: where each begins, and its error branches. */
export interface HbaTrace {
  /** The QEMU source file its events are in, as a finding names where a cause lies. */
  readonly source: string;
  readonly receive: readonly ReceiveEvent[];
  readonly branches: readonly BranchEvent[];
  /**
   * The commands the guest's driver for this HBA answers itself, never handing them to QEMU: the branch of
   * the guest's code that decides their whole answer, by operation code.
   */
  readonly answeredByGuest?: (opcode: number) => CodeBranch | undefined;
}

export const noHbaTrace: HbaTrace = { source: '', receive: [], branches: [] };

/** An error branch that decides the command's result. */
export const resultBranch = (event: string): BranchEvent => ({ event, decides: ['result'] });

/** An error branch that decides how much data moves. */
export const transferBranch = (event: string): BranchEvent => ({ event, decides: ['transfer'] });
