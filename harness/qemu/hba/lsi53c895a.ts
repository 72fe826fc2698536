import { busDriver, targetRange } from './hba-driver';

/** LSI 53C895A parallel SCSI (hw/scsi/lsi53c895a.c); id 7 is the initiator's own. */
// CDBs: lsi_do_command() cuts the command phase to 16 bytes (`buf[16]`).
export const lsi53c895a = busDriver({ model: 'lsi53c895a', qemuDevice: 'lsi53c895a', guestDriver: 'sym53c8xx', guestModule: 'sym53c8xx', usableTargets: targetRange(0, 7), maxCdbBytes: 16, guestResets: ['device', 'bus', 'host'] });
