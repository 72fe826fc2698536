/** SAM-5 status codes, the byte a device answers every command with. */
const statusNames: Record<number, string> = {
  0x00: 'GOOD',
  0x02: 'CHECK CONDITION',
  0x04: 'CONDITION MET',
  0x08: 'BUSY',
  0x18: 'RESERVATION CONFLICT',
  0x28: 'TASK SET FULL',
  0x30: 'ACA ACTIVE',
  0x40: 'TASK ABORTED',
};

export type ScsiStatus = number & { readonly __brand: 'ScsiStatus' };
export const ScsiStatus = { good: 0x00 as ScsiStatus, checkCondition: 0x02 as ScsiStatus };

export const statusName = (status: number): string =>
  statusNames[status] ?? `reserved status 0x${status.toString(16).padStart(2, '0')}`;
