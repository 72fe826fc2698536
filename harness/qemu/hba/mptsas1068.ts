import { busDriver, targetRange } from './hba-driver';

/** LSI SAS 1068 (hw/scsi/mptsas.c), driven by Linux's Fusion MPT SAS driver. */
export const mptsas1068 = busDriver('mptsas1068', 'mptsas1068', 'mptsas', targetRange(0, 8));
