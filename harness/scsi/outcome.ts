import { Delivery } from '../execute/delivery';
import { decodeSense, describeSense } from './sense';
import { statusName } from './status';

/** What a device answered, as far as printing it goes: how it was delivered, its status and its sense. */
export interface Answer {
  readonly delivery: Delivery;
  readonly status: number;
  readonly sense: Buffer;
}

/** The bytes the device says it moved: the host buffer less the residual, clamped to the buffer. */
export const transferredBytes = (result: { readonly residual: number }, length: number): number =>
  Math.max(0, Math.min(length, length - result.residual));

export const dataIn = (result: { readonly residual: number; readonly dataIn: Buffer }, length: number): Buffer =>
  result.dataIn.subarray(0, transferredBytes(result, length));

/** One line a person reads: status, sense in the standard's words, and transport trouble when there is any. */
export const describeOutcome = (result: Answer): string => {
  if (!result.delivery.answered) return result.delivery.problem ?? result.delivery.completion;
  const parts = [statusName(result.status)];
  const sense = decodeSense(result.sense);
  if (sense) parts.push(describeSense(sense));
  if (result.delivery.problem !== undefined) parts.push(result.delivery.problem);
  return parts.join(', ');
};
