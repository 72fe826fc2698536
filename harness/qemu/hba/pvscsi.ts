import { busDriver, targetRange } from './hba-driver';

/** VMware paravirtual SCSI (hw/scsi/vmw_pvscsi.c). */
// CDBs: PVSCSIRingReqDesc has cdb[16].
export const pvscsi = busDriver({ model: 'pvscsi', qemuDevice: 'pvscsi', guestDriver: 'vmw_pvscsi', guestModule: 'vmw_pvscsi', usableTargets: targetRange(0, 64), maxCdbBytes: 16, guestResets: ['device', 'bus', 'host'] });
