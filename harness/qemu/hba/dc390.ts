import { busDriver, targetRange } from './hba-driver';

/** Tekram DC-390 (hw/scsi/esp-pci.c: the Am53c974 with the card's EEPROM), driven by Linux's am53c974 too. */
// CDBs: as the Am53c974's.
export const dc390 = busDriver({ model: 'dc390', qemuDevice: 'dc390', guestDriver: 'esp', guestModule: 'am53c974', usableTargets: targetRange(0, 7), maxCdbBytes: 16, needsIoPorts: true });
