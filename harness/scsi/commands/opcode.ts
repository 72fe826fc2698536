/** The operation codes of the commands this layer encodes and decodes (SPC-5 Annex E, SBC-4). */
export const Opcode = {
  testUnitReady: 0x00,
  requestSense: 0x03,
  read6: 0x08,
  write6: 0x0a,
  inquiry: 0x12,
  modeSelect6: 0x15,
  reserve6: 0x16,
  release6: 0x17,
  modeSense6: 0x1a,
  startStopUnit: 0x1b,
  receiveDiagnosticResults: 0x1c,
  sendDiagnostic: 0x1d,
  preventAllowMediumRemoval: 0x1e,
  readCapacity10: 0x25,
  read10: 0x28,
  write10: 0x2a,
  writeAndVerify10: 0x2e,
  verify10: 0x2f,
  synchronizeCache10: 0x35,
  writeSame10: 0x41,
  unmap: 0x42,
  modeSelect10: 0x55,
  reserve10: 0x56,
  release10: 0x57,
  modeSense10: 0x5a,
  persistentReserveIn: 0x5e,
  persistentReserveOut: 0x5f,
  ataPassThrough16: 0x85,
  read16: 0x88,
  compareAndWrite: 0x89,
  write16: 0x8a,
  writeAndVerify16: 0x8e,
  verify16: 0x8f,
  synchronizeCache16: 0x91,
  writeSame16: 0x93,
  serviceActionIn16: 0x9e,
  reportLuns: 0xa0,
  ataPassThrough12: 0xa1,
  maintenanceIn: 0xa3,
  read12: 0xa8,
  write12: 0xaa,
} as const;

/** Service actions of SERVICE ACTION IN (16) (SBC-4). */
export const ServiceActionIn16 = { readCapacity16: 0x10, getLbaStatus: 0x12 } as const;

/** Service actions of MAINTENANCE IN (SPC-5 Annex E). */
export const MaintenanceIn = { reportSupportedOperationCodes: 0x0c } as const;

/** What the standards call the opcodes whose commands a service action picks. */
export const serviceActionOpcodeNames: Readonly<Record<number, string>> = {
  [Opcode.serviceActionIn16]: 'SERVICE ACTION IN (16)',
  [Opcode.maintenanceIn]: 'MAINTENANCE IN',
};

export const hexByte = (value: number): string => value.toString(16).padStart(2, '0');

/** How a family member selected by a SERVICE ACTION field is named: `sa` and its value. */
export const serviceActionMember = (serviceAction: number): string => `sa${hexByte(serviceAction)}`;
