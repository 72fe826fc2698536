import type { PolicyRule } from '../../diff/policy';
import { megasasTrace } from './megasas-trace';
import { busDriver, targetRange } from './hba-driver';

/**
 * CDBs: the MFI pass-through frame holds 16 CDB bytes, and megasas_handle_scsi() fails a frame whose cdb_len
 * is over 16 with INVALID COMMAND OPERATION CODE (megasas and megasas-gen2 alike).
 */
const megasasCdbBytes = 16;

/**
 * Linux's megasas_queue_command() (drivers/scsi/megaraid/megaraid_sas_base.c) completes SYNCHRONIZE CACHE (10)
 * to a logical drive with DID_OK itself unless the firmware says it handles it, which QEMU's MFI never does:
 * the device is not asked, so its status and sense are the driver's.
 */
export const megaraidSasAnswersSyncCache = (model: string): PolicyRule[] => {
  const reason =
    "megaraid_sas completes SYNCHRONIZE CACHE (10) to a logical drive itself, GOOD, without sending it (megasas_queue_command(), fw_sync_cache_support unset for QEMU's MFI): the device's answer never reaches the guest";
  const rule = (side: string, field: 'status' | 'sense'): PolicyRule => ({
    id: `${model}-driver-answers-synchronize-cache-10-${side === 'model' ? 'model-' : ''}${field}`,
    between: [`${model}:*`, side],
    opcode: '35',
    field,
    reason,
  });
  return [rule('*:*', 'status'), rule('*:*', 'sense'), rule('model', 'status'), rule('model', 'sense')];
};

/** LSI MegaRAID SAS 1078 (hw/scsi/megasas.c); each QEMU disk becomes a logical drive. */
export const megasas = busDriver({
  model: 'megasas',
  qemuDevice: 'megasas',
  guestDriver: 'megaraid_sas',
  guestModule: 'megaraid_sas',
  usableTargets: targetRange(0, 64),
  maxCdbBytes: megasasCdbBytes,
  // megaraid_sas's device, target and bus reset handlers fail on an MFI adapter (not a Fusion one).
  guestResets: ['host'],
  trace: megasasTrace,
  intendedDifferences: megaraidSasAnswersSyncCache('megasas'),
});
