import { busDriver, targetRange } from './hba-driver';

/** LSI 53C895A parallel SCSI (hw/scsi/lsi53c895a.c); id 7 is the initiator's own. */
export const lsi53c895a = busDriver('lsi53c895a', 'lsi53c895a', 'sym53c8xx', targetRange(0, 7));
