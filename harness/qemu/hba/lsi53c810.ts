import { busDriver, targetRange } from './hba-driver';

/** LSI 53C810, the narrow sibling of the 53C895A in the same emulation (hw/scsi/lsi53c895a.c); id 7 is the initiator's. */
// CDBs: lsi_do_command() cuts the command phase to 16 bytes, as for the 53C895A.
export const lsi53c810 = busDriver({ model: 'lsi53c810', qemuDevice: 'lsi53c810', guestDriver: 'sym53c8xx', guestModule: 'sym53c8xx', usableTargets: targetRange(0, 7), maxCdbBytes: 16, guestResets: ['device', 'bus', 'host'] });
