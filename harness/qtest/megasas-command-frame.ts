import type { FrameCommand } from './frame-driver';
import { MfiCommand, MfiFrame, MfiFrameFlag, MfiSgEntry, passThroughCdbBytes } from './mfi-frame';
import { MfiStatus } from './mfi-status';

/**
 * Which MFI frame carries a SCSI command to a QEMU disk:
 * - `linux`: what Linux's megaraid_sas sends to a logical drive (every QEMU disk is one unless megasas has
 *   use_jbod): READ/WRITE (6/10/12/16) as an LD read/write frame that megasas.c rebuilds into its own READ/WRITE (16),
 *   anything else as an LD pass-through frame (megasas_cmd_type(), megasas_build_ldio(), megasas_build_dcdb());
 * - `ld`: every CDB as an LD pass-through frame (MFI_CMD_LD_SCSI_IO), so QEMU parses the CDB as sent;
 * - `pd`: every CDB as a PD pass-through frame (MFI_CMD_PD_SCSI_IO), the path megasas.c offers for any target id.
 */
export type MegasasFrameKind = 'linux' | 'ld' | 'pd';

/** Where the frame's buffers sit in guest memory. */
export interface CommandBuffers {
  readonly senseAddress: bigint;
  readonly senseBytes: number;
  /** Absent when the command moves no data (the frame then has no SGL, as megaraid_sas sends it). */
  readonly data?: MfiSgEntry;
}

/** megaraid_sas's sense buffer (SCSI_SENSE_BUFFERSIZE). */
export const linuxSenseBytes = 96;

const readWriteOpcodes = new Set([0x08, 0x0a, 0x28, 0x2a, 0xa8, 0xaa, 0x88, 0x8a]);

const directionFlag = (command: FrameCommand): number => {
  if (command.dataOut) return MfiFrameFlag.directionWrite;
  if (command.dataInLength > 0) return MfiFrameFlag.directionRead;
  return 0;
};

/** LBA and block count as megasas_build_ldio() reads them from a READ/WRITE CDB of each length; other lengths leave both 0. */
const lbaAndCount = (cdb: Buffer): { lba: bigint; blocks: number } => {
  switch (cdb.length) {
    case 6:
      return { lba: BigInt(cdb.readUIntBE(1, 3) & 0x1fffff), blocks: cdb[4] };
    case 10:
      return { lba: BigInt(cdb.readUInt32BE(2)), blocks: cdb.readUInt16BE(7) };
    case 12:
      return { lba: BigInt(cdb.readUInt32BE(2)), blocks: cdb.readUInt32BE(6) };
    case 16:
      return { lba: cdb.readBigUInt64BE(2), blocks: cdb.readUInt32BE(10) };
    default:
      return { lba: 0n, blocks: 0 };
  }
};

/** The frame a driver builds for `command`, with `context` to find its completion in the reply queue by. */
export const megasasCommandFrame = (command: FrameCommand, kind: MegasasFrameKind, buffers: CommandBuffers, context: bigint): MfiFrame => {
  const sgl = buffers.data ? [buffers.data] : [];
  const common = {
    senseLength: buffers.senseBytes,
    cmdStatus: MfiStatus.invalidStatus,
    scsiStatus: 0,
    targetId: command.target,
    sgeCount: sgl.length,
    context,
    flags: directionFlag(command) | MfiFrameFlag.sgl64,
    timeout: 0,
  };
  if (kind === 'linux' && readWriteOpcodes.has(command.cdb[0])) {
    const { lba, blocks } = lbaAndCount(command.cdb);
    return {
      // megaraid_sas tells write from read by the opcode's bit 1 alone.
      header: {
        ...common,
        cmd: command.cdb[0] & 0x02 ? MfiCommand.ldWrite : MfiCommand.ldRead,
        // megaraid_sas's access_byte (CDB byte 1, except for 6-byte CDBs) sits where megasas.c reads the LUN.
        lun: command.cdb.length === 6 ? 0 : command.cdb[1],
        cdbLength: 0,
        dataTransferLength: blocks,
      },
      body: { layout: 'io', senseAddress: buffers.senseAddress, lba, sgl },
    };
  }
  return {
    header: {
      ...common,
      cmd: kind === 'pd' ? MfiCommand.pdScsiIo : MfiCommand.ldScsiIo,
      lun: command.lun,
      cdbLength: command.cdb.length,
      dataTransferLength: buffers.data?.length ?? 0,
    },
    // The frame holds 16 CDB bytes; cdb_len still says how long the CDB was, which megasas.c refuses past 16.
    body: { layout: 'pass-through', senseAddress: buffers.senseAddress, cdb: command.cdb.subarray(0, passThroughCdbBytes), sgl },
  };
};
