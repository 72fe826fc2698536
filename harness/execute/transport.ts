/**
 * How commands reach the HBAs: from a Linux guest's drivers over SG_IO, or over QEMU's qtest protocol, frames
 * written by hbadiff's own drivers with no guest kernel in the way.
 */
export type Transport = 'guest' | 'qtest';

export const transports: readonly Transport[] = ['guest', 'qtest'];
