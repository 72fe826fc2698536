import { ExecResult } from '../guest/messages';
import { decodeSense, describeSense } from './sense';
import { statusName } from './status';

/** What a device answered, as far as printing it goes: an ExecResult, or any outcome carrying the same fields. */
export type Answer = Pick<ExecResult, 'errno' | 'status' | 'hostStatus' | 'driverStatus' | 'sense'>;

/** The bytes the device says it moved: the host buffer less the residual, clamped to the buffer. */
export const transferredBytes = (result: Pick<ExecResult, 'residual'>, length: number): number =>
  Math.max(0, Math.min(length, length - result.residual));

export const dataIn = (result: Pick<ExecResult, 'residual' | 'dataIn'>, length: number): Buffer =>
  result.dataIn.subarray(0, transferredBytes(result, length));

/** One line a person reads: status, sense in the standard's words, and transport trouble when there is any. */
export const describeOutcome = (result: Answer): string => {
  if (result.errno !== 0) return `SG_IO failed, errno ${result.errno}`;
  const parts = [statusName(result.status)];
  const sense = decodeSense(result.sense);
  if (sense) parts.push(describeSense(sense));
  if (result.hostStatus !== 0) parts.push(`host status 0x${result.hostStatus.toString(16)}`);
  if (result.driverStatus !== 0) parts.push(`driver status 0x${result.driverStatus.toString(16)}`);
  return parts.join(', ');
};
