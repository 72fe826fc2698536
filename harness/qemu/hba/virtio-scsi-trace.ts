import { HbaTrace } from '../trace/code-branch';

/**
 * hw/scsi/virtio-scsi.c: a request names its operation code (`cmd=0x12`) but not its target, which the SCSI
 * layer's parse event gives; a response other than VIRTIO_SCSI_S_OK (0) is a branch of its own (overrun,
 * bad target, failure…), which decides both the result and the transfer.
 */
export const virtioScsiTrace: HbaTrace = {
  source: 'hw/scsi/virtio-scsi.c',
  receive: [
    {
      event: 'virtio_scsi_cmd_req',
      opcodeOf: (args) => {
        const match = /\bcmd=0x([0-9a-f]+)/.exec(args);
        return match ? parseInt(match[1], 16) : undefined;
      },
    },
  ],
  branches: [
    {
      event: 'virtio_scsi_cmd_resp',
      decides: ['result', 'transfer'],
      branchOf: (args) => {
        const response = /\bresponse=(\d+)/.exec(args)?.[1];
        return response === undefined || response === '0' ? undefined : `response=${response}`;
      },
    },
  ],
};
