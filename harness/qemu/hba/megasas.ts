import { megasasTrace } from './megasas-trace';
import { busDriver, targetRange } from './hba-driver';

/** LSI MegaRAID SAS 1078 (hw/scsi/megasas.c); each QEMU disk becomes a logical drive. */
export const megasas = busDriver('megasas', 'megasas', 'megaraid_sas', targetRange(0, 64), megasasTrace);
