import { createHash } from 'node:crypto';
import type { GuardChange } from '../qtest/guest-memory';
import type { AddressRange } from './address-range';

/**
 * What one frame got back, field by field as the comparison oracle compares it: whether it completed, the
 * HBA's completion code, the SCSI status, the sense bytes, the residual and a digest of the data-in buffer.
 */
export interface FrameAnswerFields {
  readonly completion: 'completed' | 'no completion';
  readonly hbaStatus: string;
  readonly status: string;
  readonly sense: string;
  readonly residual: string;
  readonly data: string;
}

export type AnswerField = keyof FrameAnswerFields;

/** One frame sent: its answer, the guards that changed since the run began, and the memory the frame let the device write. */
export interface FrameOutcome {
  readonly answer: FrameAnswerFields;
  readonly changedGuards: readonly GuardChange[];
  readonly writable: readonly AddressRange[];
}

/** Short enough to print, different for any two buffers a campaign meets. */
export const dataDigest = (data: Buffer): string => (data.length === 0 ? 'none' : `${data.length} bytes ${createHash('sha1').update(data).digest('hex').slice(0, 12)}`);

/** The first field in which two answers differ, if any. */
export const firstDifference = (mutated: FrameAnswerFields, unmutated: FrameAnswerFields): AnswerField | undefined =>
  (Object.keys(mutated) as AnswerField[]).find((field) => mutated[field] !== unmutated[field]);
