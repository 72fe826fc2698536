import { megasasTrace } from './megasas-trace';
import { busDriver, targetRange } from './hba-driver';

/**
 * CDBs: the MFI pass-through frame holds 16 CDB bytes, and megasas_handle_scsi() fails a frame whose cdb_len
 * is over 16 with INVALID COMMAND OPERATION CODE (megasas and megasas-gen2 alike).
 */
export const megasasCdbBytes = 16;

/** LSI MegaRAID SAS 1078 (hw/scsi/megasas.c); each QEMU disk becomes a logical drive. */
export const megasas = busDriver({
  model: 'megasas',
  qemuDevice: 'megasas',
  guestDriver: 'megaraid_sas',
  guestModule: 'megaraid_sas',
  usableTargets: targetRange(0, 64),
  maxCdbBytes: megasasCdbBytes,
  trace: megasasTrace,
});
