import { HbaModel } from '../qemu/hba/registry';

/**
 * The longest CDB each emulated HBA carries to its device, as QEMU's hw/scsi sources build the request:
 * - megasas, megasas-gen2 (megasas.c): the MFI pass-through frame holds 16 CDB bytes, and
 *   megasas_handle_scsi() fails a frame whose cdb_len is over 16 with INVALID COMMAND OPERATION CODE.
 * - virtio-scsi (virtio-scsi.c): the request header holds `cdb_size` bytes, VIRTIO_SCSI_CDB_DEFAULT_SIZE
 *   = 32 unless the guest writes another size to the config space; Linux's virtio_scsi keeps 32.
 * - mptsas1068 (mptsas.c): MPIMsgSCSIIORequest has CDB[16].
 * - lsi53c895a (lsi53c895a.c): lsi_do_command() cuts the command phase to 16 bytes (`buf[16]`).
 * - pvscsi (vmw_pvscsi.c): PVSCSIRingReqDesc has cdb[16].
 * A guest driver may refuse a CDB sooner (Linux checks each host's max_cmd_len).
 * Keyed by the registry's model type, so an HBA added there without an entry here does not compile.
 */
export const maxCdbBytes: Readonly<Record<HbaModel, number>> = {
  megasas: 16,
  'megasas-gen2': 16,
  'virtio-scsi': 32,
  mptsas1068: 16,
  lsi53c895a: 16,
  pvscsi: 16,
};
