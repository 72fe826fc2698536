import { busDriver, targetRange } from './hba-driver';
import type { DiskKind } from '../topology';
import type { ResetKind } from '../../scsi/reset-kind';

/** The USB host controller both USB transports plug into: QEMU's xHCI, which Linux's xhci_pci drives. */
const xhci = { qemuDevice: 'qemu-xhci', id: 'xhci', bus: 'xhci.0' } as const;

const usbBus = (model: 'usb-uas' | 'usb-bot', guestDriver: string, guestModule: string, guestResets: readonly ResetKind[]) => {
  const bus = busDriver({ model, qemuDevice: model, guestDriver, guestModule, usableTargets: targetRange(0, 1), maxCdbBytes: 16, guestResets });
  return {
    ...bus,
    controller: xhci,
    // One device on the transport's own SCSI bus, at id 0 and LUN 0; the guest numbers its hosts as USB enumerates them.
    diskProperties: (hbaId: string, _target: number, disk: DiskKind) => bus.diskProperties(hbaId, 0, disk),
    targetsInDiscoveryOrder: true,
  };
};

/**
 * USB Attached SCSI (hw/usb/dev-uas.c): SCSI commands in UAS information units over an xHCI, driven by Linux's
 * uas. CDBs: the command IU's CDB is 16 bytes (`uas_iu_command.cdb[16]`).
 */
// uas resets the device (a USB port reset) and has no bus or host reset.
export const usbUas = usbBus('usb-uas', 'uas', 'uas', ['device']);

/**
 * USB mass storage Bulk-Only Transport (hw/usb/dev-storage.c as `usb-bot`, which takes a disk on its SCSI
 * bus), driven by Linux's usb-storage. CDBs: the command block wrapper holds 16 bytes (`CBW.cmd[16]`).
 */
// usb-storage's device reset is a Bulk-Only Mass Storage Reset (6 s here), its bus reset a USB port reset.
export const usbBot = usbBus('usb-bot', 'usb-storage', 'usb_storage', ['device', 'bus']);
