import { busDriver, targetRange } from './hba-driver';
import type { DiskKind } from '../topology';

// CDBs: MPIMsgSCSIIORequest has CDB[16].
const bus = busDriver({ model: 'mptsas1068', qemuDevice: 'mptsas1068', guestDriver: 'mptsas', guestModule: 'mptsas', usableTargets: targetRange(0, 8), maxCdbBytes: 16, guestResets: ['device', 'host'] });

/**
 * LSI SAS 1068 (hw/scsi/mptsas.c), driven by Linux's Fusion MPT SAS driver. QEMU reports a disk's SAS
 * address as its `wwn` (mptconfig.c, SAS Device Page 0), which scsi-hd leaves 0 unless told; Linux's mptsas
 * skips a phy whose attached SAS address is 0 (mptsas_setup_wide_ports, mptsas_is_end_device), and QEMU
 * sends no discovery events to try again, so without a `wwn` no disk ever appears. Each scsi-hd gets its own;
 * scsi-block has no such property, and takes its address from the LUN's NAA designator (VPD page 83h).
 * The SAS transport numbers the guest's targets as it finds the end devices, from 0 on each host.
 */
export const mptsas1068 = {
  ...bus,
  diskProperties: (hbaId: string, target: number, disk: DiskKind) => ({
    ...bus.diskProperties(hbaId, target, disk),
    ...(disk === 'scsi-hd' && { wwn: `0x${(0x5000c50000000001n + BigInt(target)).toString(16)}` }),
  }),
  targetsInDiscoveryOrder: true,
};
