/**
 * What a reset step resets: the logical unit, its target, the bus or the whole host adapter, as SAM's task
 * management functions and the HBAs' own resets name them; whoever carries it out (a guest driver's error
 * handler, an HBA frame) says how.
 */
export type ResetKind = 'device' | 'target' | 'bus' | 'host';

export const resetKinds: readonly ResetKind[] = ['device', 'target', 'bus', 'host'];
