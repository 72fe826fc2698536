import { am53c974 } from './am53c974';

/** Tekram DC-390 (hw/scsi/esp-pci.c: the Am53c974 with the card's EEPROM), driven by Linux's am53c974 too. */
export const dc390 = { ...am53c974, model: 'dc390', qemuDevice: 'dc390' } as const;
