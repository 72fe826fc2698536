import { BranchEvent, resultBranch, transferBranch } from './code-branch';

/**
 * The SCSI layer's events that open a request on a device, with its target and operation code
 * (hw/scsi/scsi-bus.c): `target T lun L tag N command C …`.
 */
export const scsiRequestEvents = ['scsi_req_parsed', 'scsi_req_parse_bad'] as const;

const requestPattern = /\btarget (\d+) lun \d+ tag \d+ command (\d+)/;

export const scsiRequestOf = (args: string): { target: number; opcode: number } | undefined => {
  const match = requestPattern.exec(args);
  return match ? { target: Number(match[1]), opcode: Number(match[2]) } : undefined;
};

/** Where the SCSI layer completes a request (scsi_req_complete dequeues it). */
export const scsiCompleteEvent = 'scsi_req_dequeue';

/**
 * The error branches of the SCSI layer and its two disks (scsi-bus.c, scsi-disk.c) that Debian 12's QEMU
 * traces: each is one place in QEMU's code that answers a command in its own way, whatever the opcode.
 */
export const scsiLayerBranches: readonly BranchEvent[] = [
  resultBranch('scsi_req_parse_bad'),
  resultBranch('scsi_disk_emulate_command_UNKNOWN'),
  resultBranch('scsi_disk_emulate_command_SAI_unsupported'),
  resultBranch('scsi_disk_emulate_vpd_page_80_not_supported'),
  resultBranch('scsi_disk_emulate_vpd_page_b0_not_supported'),
  resultBranch('scsi_disk_mode_select_page_truncated'),
  transferBranch('scsi_disk_read_data_invalid'),
  transferBranch('scsi_disk_write_data_invalid'),
];

/** Where the SCSI layer's branches are, by the prefix of their events. */
export const scsiLayerSources: readonly { readonly prefix: string; readonly source: string }[] = [
  { prefix: 'scsi_req_', source: 'hw/scsi/scsi-bus.c' },
  { prefix: 'scsi_disk_', source: 'hw/scsi/scsi-disk.c' },
];
