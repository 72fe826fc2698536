import { busDriver, targetRange } from './hba-driver';

/**
 * AMD Am53c974 PCscsi (hw/scsi/esp-pci.c over esp.c), driven by Linux's am53c974 on esp_scsi; id 7 is the
 * initiator's. Its registers are an I/O port BAR: on microvm the guest's probe fails ("pci I/O map failed",
 * error -22), so its topology boots q35.
 */
// CDBs: esp.c's command FIFO holds 32 bytes with the message; Linux's esp_scsi sets max_cmd_len 16.
export const am53c974 = busDriver({
  model: 'am53c974',
  qemuDevice: 'am53c974',
  guestDriver: 'am53c974',
  guestModule: 'am53c974',
  usableTargets: targetRange(0, 7),
  maxCdbBytes: 16,
  // esp_scsi has bus and host reset handlers, no device reset (its settle is 3 s, not 10).
  guestResets: ['bus', 'host'],
  needsIoPorts: true,
  disksThatNeverComeUp: {
    // Seen on Debian's 7.2.22 with tgtd's LUN behind scsi-block, which completes every command asynchronously.
    'scsi-block': "the guest's first TEST UNIT READY through it never completes (esp_scsi aborts it after 30 s) and Domain Validation's INQUIRY fails: the device is offlined and the guest's boot stalls",
  },
});
