import { cdb, Cdb } from './cdb';

export const Opcode = {
  testUnitReady: 0x00,
  requestSense: 0x03,
  inquiry: 0x12,
  readCapacity10: 0x25,
  read10: 0x28,
  write10: 0x2a,
} as const;

export const testUnitReady = (): Cdb => cdb([Opcode.testUnitReady, 0, 0, 0, 0, 0]);

export const inquiry = (allocationLength: number, vpdPage?: number): Cdb =>
  cdb([Opcode.inquiry, vpdPage === undefined ? 0 : 1, vpdPage ?? 0, allocationLength >> 8, allocationLength & 0xff, 0]);

export const readCapacity10 = (): Cdb => cdb([Opcode.readCapacity10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

const rw10 = (opcode: number, lba: number, blocks: number): Cdb =>
  cdb([opcode, 0, (lba >>> 24) & 0xff, (lba >>> 16) & 0xff, (lba >>> 8) & 0xff, lba & 0xff, 0, blocks >> 8, blocks & 0xff, 0]);

export const read10 = (lba: number, blocks: number): Cdb => rw10(Opcode.read10, lba, blocks);
export const write10 = (lba: number, blocks: number): Cdb => rw10(Opcode.write10, lba, blocks);
