import { virtioScsiTrace } from './virtio-scsi-trace';
import { busDriver, targetRange } from './hba-driver';

/** The paravirtual HBA (hw/scsi/virtio-scsi.c). */
export const virtioScsi = busDriver('virtio-scsi', 'virtio-scsi-pci', 'virtio_scsi', targetRange(0, 256), virtioScsiTrace);
