/**
 * One thing the standard requires of a direct-access block device, as the model checks it: a short stable
 * id (what a model policy rule names), and where the standard says it.
 */
export interface Requirement {
  readonly id: string;
  readonly cite: string;
  /**
   * What breaking it depends on: `command` where each command checks it in its own code (a departure seen
   * through two opcodes may be two bugs), `any` where one place serves every command (the CONTROL byte, the
   * transport), so that a departure is one cause whatever the opcode.
   */
  readonly checkedBy: 'command' | 'any';
}

const requirement = (id: string, cite: string, checkedBy: Requirement['checkedBy'] = 'command'): Requirement => ({ id, cite, checkedBy });

/** Every requirement the model checks, by the id model departures and model policy rules name. */
export const Requirements = {
  lbaOutOfRange: requirement('lba-out-of-range', 'SBC-4 4.5: an access past the last LBA is ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE'),
  invalidOpcode: requirement('invalid-opcode', 'SPC-5 4.5.2 / SAM-5: an operation code the device does not implement is ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE'),
  optionalCommand: requirement('optional-command', 'SBC-4 Table 21 / SPC-5 Table 11: an optional command, implemented or not as the device chose'),
  supportConsistent: requirement('support-consistent', 'SPC-5 4.5.2: a device implements an operation code or does not; its answer does not change'),
  mandatoryCommand: requirement('mandatory-command', 'SBC-4 Table 21: a mandatory command is implemented'),
  reservedCodeValue: requirement('reserved-code-value', 'SPC-5 3.4.2 (reserved): receipt of a reserved code value in a defined field shall be reported as an error'),
  reservedBits: requirement('reserved-bits', 'SPC-5 3.4.2 (reserved): recipients may check reserved bits and reject them as INVALID FIELD IN CDB'),
  naca: requirement('naca-unsupported', 'SAM-5 5.2 (CONTROL byte): NACA set where ACA is not supported is ILLEGAL REQUEST, INVALID FIELD IN CDB', 'any'),
  cdbLength: requirement('cdb-length', 'SAM-5 5.2: the CDB length follows from the operation code; a shorter CDB is not a command the standard defines', 'any'),
  protectionInformation: requirement('protection-unsupported', 'SBC-4 5.16 (RDPROTECT) and 4.22: a nonzero protection field on a device without protection information (PROTECT 0) is INVALID FIELD IN CDB'),
  maximumTransferLength: requirement('maximum-transfer-length', 'SBC-4 6.6.4 (Block Limits): a transfer longer than MAXIMUM TRANSFER LENGTH is INVALID FIELD IN CDB'),
  readReturnsWritten: requirement('read-returns-written', 'SBC-4 4.6: a read returns the data last written to each LBA'),
  // How a transport reports what moved (its residual) is the same through whatever command: one cause.
  transferLength: requirement('transfer-length', 'SPC-5 4.2.5.6 and SBC-4: the device transfers what the CDB asks for, up to the allocation length', 'any'),
  unmappedReadBack: requirement('unmapped-read-back', 'SBC-4 4.7.4.5: a deallocated LBA reads back as zeros when LBPRZ is set'),
  miscompare: requirement('miscompare', 'SBC-4 5.3 (COMPARE AND WRITE) and 5.33 (VERIFY): data that does not match is MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION'),
  writeSame: requirement('write-same', 'SBC-4 5.50/5.51 (WRITE SAME): ANCHOR needs UNMAP; NUMBER OF LOGICAL BLOCKS 0 with WSNZ, or past MAXIMUM WRITE SAME LENGTH, is INVALID FIELD IN CDB'),
  unmapParameters: requirement('unmap-parameters', 'SBC-4 5.32 (UNMAP): a short header is PARAMETER LIST LENGTH ERROR; descriptors past the capacity are LBA OUT OF RANGE; past the limits INVALID FIELD IN PARAMETER LIST'),
  capacityData: requirement('capacity-data', 'SBC-4 5.20/5.21 (READ CAPACITY): the last LBA and the logical block length'),
  inquiryData: requirement('inquiry-data', 'SPC-5 6.7 (INQUIRY): standard data of a direct-access device, and VPD pages the device lists in page 00h'),
  inquiryPage: requirement('inquiry-page', 'SPC-5 6.7.1: PAGE CODE without EVPD, or a VPD page the device does not list, is INVALID FIELD IN CDB'),
  consistentData: requirement('consistent-data', 'SPC-5 6.7 / 7.7: INQUIRY data and VPD pages do not change unless something changed them'),
  modePage: requirement('mode-page', 'SPC-5 6.14 (MODE SENSE): a page the device does not implement is INVALID FIELD IN CDB; saved values unsupported is SAVING PARAMETERS NOT SUPPORTED'),
  modeData: requirement('mode-data', 'SPC-5 7.5 and SBC-4 6.5: the mode parameter header and block descriptor describe the medium'),
  modeSelect: requirement('mode-select', 'SPC-5 6.12/7.5: a truncated header, descriptor or page is PARAMETER LIST LENGTH ERROR; values a device cannot take are INVALID FIELD IN PARAMETER LIST'),
  modeSelected: requirement('mode-selected', 'SPC-5 6.12: after MODE SELECT the current values are those selected'),
  unitAttention: requirement('unit-attention', 'SAM-5 5.14: after a reset the next command may meet a UNIT ATTENTION, reported once', 'any'),
  stopped: requirement('stopped', 'SBC-4 4.20 (power conditions) / 5.25: in the stopped power condition media access and TEST UNIT READY are NOT READY, INITIALIZING COMMAND REQUIRED'),
  requestSense: requirement('request-sense', 'SPC-5 6.39 (REQUEST SENSE): GOOD, with the pending sense data or NO SENSE, NO ADDITIONAL SENSE INFORMATION'),
  reportLuns: requirement('report-luns', 'SPC-5 6.33 (REPORT LUNS): a LUN list of 8-byte entries, its length first'),
  reservationConflict: requirement('reservation-conflict', 'SPC-5 5.13: RESERVE/RELEASE conflict with registrations; PERSISTENT RESERVE conflicts with an SPC-2 reservation'),
  persistentReservation: requirement('persistent-reservation', 'SPC-5 5.13 and 6.16/6.17 (PERSISTENT RESERVE IN/OUT): registrations, the reservation and PRGENERATION'),
  diagnostics: requirement('diagnostics', 'SPC-5 6.42 (SEND DIAGNOSTIC): SELFTEST with a parameter list or a SELF-TEST CODE is INVALID FIELD IN CDB'),
  synchronizeCache: requirement('synchronize-cache', 'SBC-4 5.27 (SYNCHRONIZE CACHE): the range is checked against the capacity'),
  lbaStatus: requirement('lba-status', 'SBC-4 5.7 (GET LBA STATUS): the first descriptor starts at the STARTING LOGICAL BLOCK ADDRESS'),
  transport: requirement('transport', 'SAM-5 5.3: the device answers with a status; the host adapter does not fail a command the device could answer', 'any'),
  content: requirement('content', 'SBC-4 4.6: the medium holds what was written, block by block'),
} as const;

export type RequirementId = (typeof Requirements)[keyof typeof Requirements]['id'];

const byId: ReadonlyMap<string, Requirement> = new Map(Object.values(Requirements).map((each) => [each.id, each]));

/** The requirement a departure names, by its id. */
export const requirementById = (id: string): Requirement | undefined => byId.get(id);
