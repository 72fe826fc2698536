import { busDriver, targetRange } from './hba-driver';

/** VMware paravirtual SCSI (hw/scsi/vmw_pvscsi.c). */
export const pvscsi = busDriver('pvscsi', 'pvscsi', 'vmw_pvscsi', targetRange(0, 64));
