/**
 * virtio-scsi's command request and response (struct virtio_scsi_cmd_req / virtio_scsi_cmd_resp, virtio spec
 * 5.6.6.1): a fixed header, then a CDB and a sense buffer of the sizes the device's configuration names.
 */
const requestHeaderBytes = 19;
const responseHeaderBytes = 12;

/** VIRTIO_SCSI_S_* in value order from 0, as QEMU's standard-headers/linux/virtio_scsi.h names them. */
const responseNames = [
  'VIRTIO_SCSI_S_OK',
  'VIRTIO_SCSI_S_OVERRUN',
  'VIRTIO_SCSI_S_ABORTED',
  'VIRTIO_SCSI_S_BAD_TARGET',
  'VIRTIO_SCSI_S_RESET',
  'VIRTIO_SCSI_S_BUSY',
  'VIRTIO_SCSI_S_TRANSPORT_FAILURE',
  'VIRTIO_SCSI_S_TARGET_FAILURE',
  'VIRTIO_SCSI_S_NEXUS_FAILURE',
  'VIRTIO_SCSI_S_FAILURE',
  'VIRTIO_SCSI_S_FUNCTION_SUCCEEDED',
  'VIRTIO_SCSI_S_FUNCTION_REJECTED',
  'VIRTIO_SCSI_S_INCORRECT_LUN',
] as const;

export const virtioScsiResponseOk = 0;

export const virtioScsiResponseName = (response: number): string => responseNames[response] ?? `VIRTIO_SCSI_S_? (${response})`;

/** The sizes the device's configuration space gives (cdb_size, sense_size). */
export interface VirtioScsiSizes {
  readonly cdbBytes: number;
  readonly senseBytes: number;
}

export interface VirtioScsiRequest {
  readonly target: number;
  readonly lun: number;
  readonly tag: bigint;
  readonly cdb: Buffer;
}

/** virtio-scsi's single-level LUN address: 1, the target, then the LUN in SAM's flat space (0x40 | high bits). */
const lunField = (target: number, lun: number): Buffer => Buffer.from([1, target, 0x40 | (lun >> 8), lun & 0xff, 0, 0, 0, 0]);

export const encodeRequest = (request: VirtioScsiRequest, sizes: VirtioScsiSizes): Buffer => {
  if (request.cdb.length > sizes.cdbBytes) throw new Error(`virtio-scsi: a ${request.cdb.length}-byte CDB does not fit the device's ${sizes.cdbBytes}-byte cdb field`);
  const bytes = Buffer.alloc(requestHeaderBytes + sizes.cdbBytes);
  lunField(request.target, request.lun).copy(bytes, 0);
  bytes.writeBigUInt64LE(request.tag, 8);
  // task_attr VIRTIO_SCSI_S_SIMPLE, prio 0, crn 0: what Linux's virtio_scsi sends.
  request.cdb.copy(bytes, requestHeaderBytes);
  return bytes;
};

export const responseBytes = (sizes: VirtioScsiSizes): number => responseHeaderBytes + sizes.senseBytes;

export interface VirtioScsiResponse {
  readonly senseLength: number;
  readonly residual: number;
  readonly statusQualifier: number;
  readonly status: number;
  readonly response: number;
  /** The sense bytes the device says it wrote (at most the sense field's size). */
  readonly sense: Buffer;
}

export const decodeResponse = (bytes: Buffer): VirtioScsiResponse => {
  const senseLength = bytes.readUInt32LE(0);
  return {
    senseLength,
    // Signed, as Linux's virtio_scsi hands it on: scsi-disk reports a buffer longer than the transfer as a negative residual.
    residual: bytes.readInt32LE(4),
    statusQualifier: bytes.readUInt16LE(8),
    status: bytes[10],
    response: bytes[11],
    sense: Buffer.from(bytes.subarray(responseHeaderBytes, responseHeaderBytes + Math.min(senseLength, bytes.length - responseHeaderBytes))),
  };
};
