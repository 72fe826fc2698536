import { mfiStatusName } from './mfi-status';

/** Frame commands (mfi_cmd_t): the first byte of every MFI frame. */
export const MfiCommand = {
  init: 0x00,
  ldRead: 0x01,
  ldWrite: 0x02,
  ldScsiIo: 0x03,
  pdScsiIo: 0x04,
  dcmd: 0x05,
  abort: 0x06,
  smp: 0x07,
  stp: 0x08,
} as const;

/** The header's flags (mfi_frame_flags): the SGL's entry width, the sense address's width, the data direction. */
export const MfiFrameFlag = {
  dontPostInReplyQueue: 0x0001,
  sgl64: 0x0002,
  sense64: 0x0004,
  directionWrite: 0x0008,
  directionRead: 0x0010,
  ieeeSgl: 0x0020,
} as const;

/** Every frame is at least this long: the firmware reads the header and the first SGL entries from it. */
export const mfiFrameBytes = 64;

/** The 24-byte header all frames share (struct mfi_frame_header); each field is as wide as mfi.h says. */
export interface MfiHeader {
  readonly cmd: number;
  readonly senseLength: number;
  readonly cmdStatus: number;
  readonly scsiStatus: number;
  readonly targetId: number;
  /** For an LD I/O frame Linux's megaraid_sas puts CDB byte 1 here (its access_byte); megasas.c reads a LUN. */
  readonly lun: number;
  readonly cdbLength: number;
  /** How many SGL entries the firmware reads, whatever the frame's list holds. */
  readonly sgeCount: number;
  /** 64 bits in the frame; megasas.c keeps the low 32 unless INIT asked for 64-bit reply-queue contexts. */
  readonly context: bigint;
  readonly flags: number;
  readonly timeout: number;
  /** Bytes for a pass-through frame, blocks for an LD read/write frame. */
  readonly dataTransferLength: number;
}

/** One scatter-gather entry; its width in the frame (8, 12 or 16 bytes) is the header's `flags`' to say. */
export interface MfiSgEntry {
  readonly address: bigint;
  readonly length: number;
}

/** What follows the header, by the layout the frame is written in (independent of `cmd`, so any pairing can be sent). */
export type MfiBody =
  /** struct mfi_pass_frame: MFI_CMD_LD_SCSI_IO and MFI_CMD_PD_SCSI_IO. */
  | { readonly layout: 'pass-through'; readonly senseAddress: bigint; readonly cdb: Buffer; readonly sgl: readonly MfiSgEntry[] }
  /** struct mfi_io_frame: MFI_CMD_LD_READ and MFI_CMD_LD_WRITE. */
  | { readonly layout: 'io'; readonly senseAddress: bigint; readonly lba: bigint; readonly sgl: readonly MfiSgEntry[] }
  /** struct mfi_dcmd_frame: MFI_CMD_DCMD. */
  | { readonly layout: 'dcmd'; readonly opcode: number; readonly mailbox: Buffer; readonly sgl: readonly MfiSgEntry[] }
  /** struct mfi_init_frame: MFI_CMD_INIT, pointing at a struct mfi_init_qinfo. */
  | { readonly layout: 'init'; readonly queueInfoAddress: bigint };

export interface MfiFrame {
  readonly header: MfiHeader;
  readonly body: MfiBody;
}

/** struct mfi_frame_header's fields: where each sits and how many bytes it has (little-endian, as the firmware runs). */
export const mfiHeaderLayout = {
  cmd: { offset: 0, bytes: 1 },
  senseLength: { offset: 1, bytes: 1 },
  cmdStatus: { offset: 2, bytes: 1 },
  scsiStatus: { offset: 3, bytes: 1 },
  targetId: { offset: 4, bytes: 1 },
  lun: { offset: 5, bytes: 1 },
  cdbLength: { offset: 6, bytes: 1 },
  sgeCount: { offset: 7, bytes: 1 },
  context: { offset: 8, bytes: 8 },
  flags: { offset: 16, bytes: 2 },
  timeout: { offset: 18, bytes: 2 },
  dataTransferLength: { offset: 20, bytes: 4 },
} as const satisfies Record<keyof MfiHeader, { readonly offset: number; readonly bytes: 1 | 2 | 4 | 8 }>;

const headerBytes = 24;
export const passThroughCdbBytes = 16;
const dcmdMailboxBytes = 12;

/** Where each layout's SGL starts (offsetof(..., sgl) in mfi.h). */
export const mfiSglOffset = { 'pass-through': 48, io: 40, dcmd: 40 } as const;

/** Bytes per SGL entry: IEEE (skinny) over 64-bit over 32-bit, as megasas_sgl_get_addr() decides. */
export const mfiSgEntryBytes = (flags: number): number => {
  if (flags & MfiFrameFlag.ieeeSgl) return 16;
  if (flags & MfiFrameFlag.sgl64) return 12;
  return 8;
};

const writeHeader = (frame: Buffer, header: MfiHeader): void => {
  for (const [field, { offset, bytes }] of Object.entries(mfiHeaderLayout)) {
    const value = header[field as keyof MfiHeader];
    if (typeof value === 'bigint') frame.writeBigUInt64LE(value, offset);
    else frame.writeUIntLE(value, offset, bytes);
  }
};

/** A 64-bit value as the lo/hi pair of little-endian 32-bit words MFI frames hold (sense address, LBA, queue info). */
const writeLoHiPair = (frame: Buffer, value: bigint, offset: number): void => {
  frame.writeBigUInt64LE(value, offset);
};

const writeSgl = (frame: Buffer, flags: number, sgl: readonly MfiSgEntry[], offset: number): void => {
  const entryBytes = mfiSgEntryBytes(flags);
  sgl.forEach((entry, index) => {
    const at = offset + index * entryBytes;
    if (entryBytes === 8) frame.writeUInt32LE(Number(entry.address), at);
    else frame.writeBigUInt64LE(entry.address, at);
    frame.writeUInt32LE(entry.length, entryBytes === 8 ? at + 4 : at + 8);
  });
};

const fitInto = (what: string, bytes: Buffer, capacity: number): Buffer => {
  if (bytes.length > capacity) throw new RangeError(`MFI frame ${what} has ${bytes.length} bytes, the frame holds ${capacity}`);
  return bytes;
};

/** The frame's length: the 64-byte frame, or longer where the SGL runs past it (into the frames that follow, as megaraid_sas chains them). */
export const mfiFrameLength = (frame: MfiFrame): number => {
  if (frame.body.layout === 'init') return mfiFrameBytes;
  const end = mfiSglOffset[frame.body.layout] + frame.body.sgl.length * mfiSgEntryBytes(frame.header.flags);
  return Math.max(mfiFrameBytes, Math.ceil(end / mfiFrameBytes) * mfiFrameBytes);
};

/**
 * The frame's bytes, exactly as the value says: nothing is derived or checked against anything else (sge_count
 * need not match the list, cdb_len need not match the CDB), so a mutated frame reaches QEMU as it was mutated.
 * A value wider than its field is a caller's bug and throws.
 */
export const encodeMfiFrame = (frame: MfiFrame): Buffer => {
  const bytes = Buffer.alloc(mfiFrameLength(frame));
  writeHeader(bytes, frame.header);
  const { body } = frame;
  switch (body.layout) {
    case 'pass-through':
      writeLoHiPair(bytes, body.senseAddress, headerBytes);
      fitInto('CDB', body.cdb, passThroughCdbBytes).copy(bytes, 32);
      writeSgl(bytes, frame.header.flags, body.sgl, mfiSglOffset[body.layout]);
      break;
    case 'io':
      writeLoHiPair(bytes, body.senseAddress, headerBytes);
      writeLoHiPair(bytes, body.lba, 32);
      writeSgl(bytes, frame.header.flags, body.sgl, mfiSglOffset[body.layout]);
      break;
    case 'dcmd':
      bytes.writeUInt32LE(body.opcode, headerBytes);
      fitInto('mailbox', body.mailbox, dcmdMailboxBytes).copy(bytes, 28);
      writeSgl(bytes, frame.header.flags, body.sgl, mfiSglOffset[body.layout]);
      break;
    case 'init':
      writeLoHiPair(bytes, body.queueInfoAddress, headerBytes);
      break;
  }
  return bytes;
};

/** What the firmware wrote back into a completed frame's header. */
export interface MfiCompletion {
  readonly cmdStatus: number;
  readonly cmdStatusName: string;
  readonly scsiStatus: number;
  /** megasas.c lowers the frame's sense_len to the bytes of sense it wrote. */
  readonly senseLength: number;
}

export const decodeMfiCompletion = (frame: Buffer): MfiCompletion => {
  const cmdStatus = frame.readUInt8(mfiHeaderLayout.cmdStatus.offset);
  return {
    cmdStatus,
    cmdStatusName: mfiStatusName(cmdStatus),
    scsiStatus: frame.readUInt8(mfiHeaderLayout.scsiStatus.offset),
    senseLength: frame.readUInt8(mfiHeaderLayout.senseLength.offset),
  };
};
