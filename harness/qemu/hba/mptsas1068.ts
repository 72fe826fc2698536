import { busDriver, targetRange } from './hba-driver';

/**
 * LSI SAS 1068 (hw/scsi/mptsas.c), driven by Linux's Fusion MPT SAS driver. Measured with Debian's 6.1 kernel
 * under QEMU 7.2: the controller comes up (8 ports) but no disk is ever reported to the guest.
 */
export const mptsas1068 = busDriver('mptsas1068', 'mptsas1068', 'mptsas', targetRange(0, 8));
