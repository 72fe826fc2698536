import { Delivery } from '../execute/delivery';
import { FrameAnswer } from './frame-driver';

/** An HBA frame's own fields of an answer: its completion code, and what it wrote outside its buffers. */
export interface FrameDetails {
  readonly transport: 'frame';
  readonly hbaStatus: number;
  readonly hbaStatusName: string;
  readonly strayWrites: readonly string[];
}

export const frameDetails = (answer: FrameAnswer): FrameDetails => ({
  transport: 'frame',
  hbaStatus: answer.hbaStatus,
  hbaStatusName: answer.hbaStatusName,
  strayWrites: answer.strayWrites,
});

/**
 * What the frame's completion says of the delivery: none came (a hang), the HBA answered for the device (its
 * code names why), or the device answered. Two HBAs' success codes differ in name only, so a device's answer
 * compares as one completion whatever HBA carried it.
 */
export const frameDelivery = (answer: FrameAnswer): Delivery => {
  if (!answer.completed) return { answered: false, problem: 'no completion', completion: 'no completion' };
  if (!answer.deviceAnswered) return { answered: true, problem: answer.hbaStatusName, completion: answer.hbaStatusName };
  return { answered: true, problem: undefined, completion: 'device answered' };
};
