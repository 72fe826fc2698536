import { HbaTrace, resultBranch, transferBranch } from '../trace/code-branch';

const hexField = (pattern: RegExp) => (args: string): number | undefined => {
  const match = pattern.exec(args);
  return match ? parseInt(match[1], 16) : undefined;
};

/**
 * hw/scsi/megasas.c, both generations: pass-through frames (`LD SCSI dev bus/target/lun`) and LD I/O frames
 * (`LD Read dev target/lun`), and the branches that fail a frame before or around the SCSI layer.
 */
export const megasasTrace: HbaTrace = {
  source: 'hw/scsi/megasas.c',
  receive: [
    { event: 'megasas_handle_scsi', targetOf: hexField(/ dev [0-9a-f]+\/([0-9a-f]+)\/[0-9a-f]+ /) },
    { event: 'megasas_handle_io', targetOf: hexField(/ dev ([0-9a-f]+)\/[0-9a-f]+ /) },
  ],
  branches: [
    // An LD I/O frame: megasas rebuilds the command as its own READ (16) or WRITE (16) (megasas_encode_lba),
    // so whatever else the guest's CDB said (VERIFY, BYTCHK, DPO) is not what the device answers.
    { event: 'megasas_handle_io', decides: ['result'], route: true },
    resultBranch('megasas_scsi_target_not_present'),
    resultBranch('megasas_io_target_not_present'),
    resultBranch('megasas_scsi_invalid_cdb_len'),
    resultBranch('megasas_scsi_req_alloc_failed'),
    resultBranch('megasas_iovec_sgl_overflow'),
    resultBranch('megasas_iovec_sgl_underflow'),
    resultBranch('megasas_iovec_sgl_invalid'),
    resultBranch('megasas_iovec_overflow'),
    resultBranch('megasas_unhandled_frame_cmd'),
    transferBranch('megasas_iovec_underflow'),
    // The device was asked for more than the guest's buffer holds (the CDB's length, where virtio-scsi asks a
    // passthrough target for the buffer's): that decides what the target answers, not only what moved.
    { event: 'megasas_iov_read_overflow', decides: ['result', 'transfer'] },
    { event: 'megasas_iov_write_overflow', decides: ['result', 'transfer'] },
    transferBranch('megasas_iov_read_underflow'),
    transferBranch('megasas_iov_write_underflow'),
  ],
  // Linux's megasas_queue_command() (drivers/scsi/megaraid/megaraid_sas_base.c) completes SYNCHRONIZE CACHE (10)
  // to a logical drive with DID_OK itself unless the firmware supports it, which QEMU's MFI does not say.
  answeredByGuest: (opcode) => (opcode === 0x35 ? { name: 'the guest megaraid_sas megasas_queue_command', decides: ['result', 'transfer'] } : undefined),
};
