import { virtioScsiTrace } from './virtio-scsi-trace';
import { busDriver, targetRange } from './hba-driver';

/** The paravirtual HBA (hw/scsi/virtio-scsi.c). */
// CDBs: the request header holds `cdb_size` bytes, VIRTIO_SCSI_CDB_DEFAULT_SIZE = 32 unless the guest
// writes another size to the config space; Linux's virtio_scsi keeps 32.
export const virtioScsi = busDriver({
  model: 'virtio-scsi',
  qemuDevice: 'virtio-scsi-pci',
  guestDriver: 'virtio_scsi',
  guestModule: 'virtio_scsi',
  usableTargets: targetRange(0, 256),
  // virtio_scsi has an abort and a device reset (a LUN RESET TMF) handler, nothing wider.
  guestResets: ['device'],
  maxCdbBytes: 32,
  trace: virtioScsiTrace,
  tellsGuestOfHotplug: true,
});
