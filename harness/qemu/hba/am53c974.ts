import { busDriver, targetRange } from './hba-driver';

/**
 * AMD Am53c974 PCscsi (hw/scsi/esp-pci.c over esp.c), driven by Linux's am53c974 on esp_scsi ("esp"); id 7 is
 * the initiator's. Its registers are an I/O port BAR: on microvm the guest's probe fails ("pci I/O map
 * failed", error -22), so it needs a machine with a PCI I/O window, which hbadiff does not boot yet.
 */
// CDBs: esp.c's command FIFO holds 32 bytes with the message; Linux's esp_scsi sets max_cmd_len 16.
export const am53c974 = busDriver({ model: 'am53c974', qemuDevice: 'am53c974', guestDriver: 'esp', guestModule: 'am53c974', usableTargets: targetRange(0, 7), maxCdbBytes: 16, needsIoPorts: true });
