import { QemuExited, describeExit } from '../qemu/machine-exit';
import { settlesWithin } from '../process/within';
import type { GuardChange } from '../qtest/guest-memory';
import { AddressRange, rangeHolds } from './address-range';
import { FrameFailure } from './frame-failure';
import type { FrameMachine } from './frame-machine';
import { firstDifference, FrameOutcome } from './frame-outcome';
import type { FrameHba } from './mutation-target';

export interface RunTiming {
  /** How long a frame may go without completion (polled on QEMU's virtual clock) before it counts as not completed. */
  readonly frameTimeoutMs: number;
  /** How long past that a qtest request may go unanswered before QEMU counts as hung. */
  readonly hangMs: number;
}

/** What one run of a sequence of frames showed, and whether its QEMU can serve the next run. */
export interface RunResult {
  /** Frames posted, unmutated copies included. */
  readonly frames: number;
  /** Frames that got no completion: a malformed frame may legitimately get none, so this is recorded, not a finding. */
  readonly noCompletion: number;
  /**
   * Guards QEMU wrote where a frame of the run handed it that memory (an SGL entry, a sense address, a writable
   * descriptor into a guard): the frame's doing, so recorded, not a finding; the run ends there.
   */
  readonly writesWhereAsked: number;
  readonly failure: FrameFailure | undefined;
  /** QEMU died, hung, wrote outside its buffers or kept a frame: a fresh one serves the next run. */
  readonly spent: boolean;
}

const crashDetail = (error: QemuExited): string => [`QEMU ${describeExit(error.exit)}`, ...error.lastOutput, ...(error.sanitizerReport ? [error.sanitizerReport] : [])].join('\n');

/** Whether every byte that changed lies in memory some frame of the run handed the device. */
const asked = (change: GuardChange, writable: readonly AddressRange[]): boolean =>
  change.changed.every((address) => writable.some((range) => rangeHolds(range, address)));

const strayWrite = (frame: number, change: GuardChange): FrameFailure => ({
  kind: 'stray-write',
  frame,
  buffer: change.buffer.label,
  side: change.side,
  firstChanged: change.changed[0],
  description: `${change.changed.length} guard byte(s) ${change.side} ${change.buffer.label} (${change.buffer.length} bytes at 0x${change.buffer.address.toString(16)}) changed, first at 0x${change.changed[0].toString(16)}`,
});

class Hung extends Error {}

/**
 * Runs `sequence` on `frames`' QEMU, frame after frame, under the oracles: QEMU's death, a request unanswered
 * for `hangMs` past the frame's timeout, changed guards, and for a frame whose overrides are all neutral, its
 * answer against its unmutated copy's, sent right after on the same QEMU. The run stops at the first failure,
 * and at a frame that got no completion (the HBA may still hold it). Buffers are freed after a run whose QEMU
 * is not spent.
 */
export const runSequence = async <M>(hba: FrameHba<M>, frames: FrameMachine<M>, sequence: readonly M[], timing: RunTiming): Promise<RunResult> => {
  const { memory } = frames.machine;
  const mark = memory.mark();
  const writable: AddressRange[] = [];
  let posted = 0;
  let noCompletion = 0;
  let writesWhereAsked = 0;
  const send = async (mutation: M, unmutated: boolean): Promise<FrameOutcome> => {
    const sent = frames.target.send(mutation, unmutated);
    sent.catch(() => undefined);
    if (!(await settlesWithin(sent, timing.frameTimeoutMs + timing.hangMs))) throw new Hung();
    posted++;
    return sent;
  };
  const result = (failure: FrameFailure | undefined, spent: boolean): RunResult => {
    if (!spent) memory.release(mark);
    return { frames: posted, noCompletion, writesWhereAsked, failure, spent };
  };
  /** Changed guards end the run (the buffers are no longer as laid out): a finding only where no frame asked for the write. */
  const guardsChanged = (frame: number, changes: readonly GuardChange[]): RunResult => {
    const unasked = changes.find((change) => !asked(change, writable));
    if (unasked) return result(strayWrite(frame, unasked), true);
    writesWhereAsked++;
    return result(undefined, true);
  };
  for (const [frame, mutation] of sequence.entries()) {
    try {
      const mutated = await send(mutation, false);
      writable.push(...mutated.writable);
      if (mutated.changedGuards.length > 0) return guardsChanged(frame, mutated.changedGuards);
      if (mutated.answer.completion !== 'completed') {
        noCompletion++;
        return result(undefined, true);
      }
      if (!hba.answerNeutral(mutation)) continue;
      const unmutated = await send(mutation, true);
      if (unmutated.changedGuards.length > 0) return guardsChanged(frame, unmutated.changedGuards);
      const field = firstDifference(mutated.answer, unmutated.answer);
      if (field) {
        const divergence: FrameFailure = { kind: 'divergence', frame, field, fields: hba.overriddenFields(mutation), mutated: mutated.answer[field], unmutated: unmutated.answer[field] };
        return result(divergence, unmutated.answer.completion !== 'completed');
      }
    } catch (error) {
      if (error instanceof Hung) return result({ kind: 'hang', frame, fields: hba.overriddenFields(mutation) }, true);
      if (error instanceof QemuExited) return result({ kind: 'crash', frame, detail: crashDetail(error) }, true);
      throw error;
    }
  }
  return result(undefined, false);
};
