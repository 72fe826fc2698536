import { fc, test } from '@fast-check/jest';
import { MfiFrame, MfiFrameFlag, MfiHeader, decodeMfiCompletion, encodeMfiFrame } from '../../../harness/qtest/mfi-frame';
import { encodeMfiQueueInfo } from '../../../harness/qtest/mfi-queue-info';
import { mfiStatusName } from '../../../harness/qtest/mfi-status';

/** Every header field a different value, so a field written at another's offset shows. */
const header: MfiHeader = {
  cmd: 0x04,
  senseLength: 0x60,
  cmdStatus: 0xff,
  scsiStatus: 0x02,
  targetId: 0x07,
  lun: 0x03,
  cdbLength: 0x0a,
  sgeCount: 0x02,
  context: 0x1122334455667788n,
  flags: MfiFrameFlag.sgl64 | MfiFrameFlag.directionRead,
  timeout: 0xabcd,
  dataTransferLength: 0x00012345,
};

const cdb = Buffer.from('28000000001000000800', 'hex');

const passThrough = (overrides: Partial<MfiHeader>, sgl = [{ address: 0x1_2345_6780n, length: 0x1000 }]): MfiFrame => ({
  header: { ...header, ...overrides },
  body: { layout: 'pass-through', senseAddress: 0xaabbccdd_11223344n, cdb, sgl },
});

describe('encodeMfiFrame', () => {
  it('puts each header field at the offset struct mfi_frame_header gives it, little-endian', () => {
    const bytes = encodeMfiFrame(passThrough({}));
    expect([...bytes.subarray(0, 8)]).toEqual([0x04, 0x60, 0xff, 0x02, 0x07, 0x03, 0x0a, 0x02]);
    expect(bytes.readBigUInt64LE(8)).toBe(0x1122334455667788n);
    expect(bytes.readUInt16LE(16)).toBe(0x12);
    expect(bytes.readUInt16LE(18)).toBe(0xabcd);
    expect(bytes.readUInt32LE(20)).toBe(0x12345);
  });

  it('writes a pass-through frame as struct mfi_pass_frame: sense address lo/hi, 16 CDB bytes, the SGL at 48', () => {
    const bytes = encodeMfiFrame(passThrough({}));
    expect(bytes).toHaveLength(64);
    expect(bytes.readUInt32LE(24)).toBe(0x11223344);
    expect(bytes.readUInt32LE(28)).toBe(0xaabbccdd);
    expect(bytes.subarray(32, 48)).toEqual(Buffer.concat([cdb, Buffer.alloc(6)]));
    expect(bytes.readBigUInt64LE(48)).toBe(0x1_2345_6780n);
    expect(bytes.readUInt32LE(56)).toBe(0x1000);
  });

  it.each([
    ['32-bit', 0, 8, (bytes: Buffer, at: number) => BigInt(bytes.readUInt32LE(at)), 4],
    ['64-bit', MfiFrameFlag.sgl64, 12, (bytes: Buffer, at: number) => bytes.readBigUInt64LE(at), 8],
    ['IEEE', MfiFrameFlag.ieeeSgl | MfiFrameFlag.sgl64, 16, (bytes: Buffer, at: number) => bytes.readBigUInt64LE(at), 8],
  ])('writes %s SGL entries %d bytes apart, as flags says', (_name, flags, entryBytes, readAddress, lengthAt) => {
    const sgl = [
      { address: 0x1000n, length: 0x200 },
      { address: 0x3000n, length: 0x400 },
      { address: 0x5000n, length: 0x600 },
    ];
    const bytes = encodeMfiFrame(passThrough({ flags }, sgl));
    sgl.forEach(({ address, length }, index) => {
      const at = 48 + index * entryBytes;
      expect(readAddress(bytes, at)).toBe(address);
      expect(bytes.readUInt32LE(at + lengthAt)).toBe(length);
    });
  });

  it('writes an SGL that runs past 64 bytes into whole further frames, as megaraid_sas chains them', () => {
    const sgl = Array.from({ length: 10 }, (_, index) => ({ address: BigInt(0x10000 + index * 0x1000), length: 0x1000 }));
    const bytes = encodeMfiFrame(passThrough({ flags: MfiFrameFlag.sgl64 }, sgl));
    expect(bytes).toHaveLength(192);
    expect(bytes.readBigUInt64LE(48 + 9 * 12)).toBe(0x19000n);
  });

  it('writes an LD I/O frame as struct mfi_io_frame: sense address, LBA lo/hi at 32, the SGL at 40', () => {
    const bytes = encodeMfiFrame({
      header: { ...header, cmd: 0x01 },
      body: { layout: 'io', senseAddress: 0x8000n, lba: 0x00000001_fffffffen, sgl: [{ address: 0x9000n, length: 512 }] },
    });
    expect(bytes.readUInt32LE(24)).toBe(0x8000);
    expect(bytes.readUInt32LE(32)).toBe(0xfffffffe);
    expect(bytes.readUInt32LE(36)).toBe(1);
    expect(bytes.readBigUInt64LE(40)).toBe(0x9000n);
    expect(bytes.readUInt32LE(48)).toBe(512);
  });

  it('writes a DCMD frame as struct mfi_dcmd_frame: opcode at 24, 12 mailbox bytes, the SGL at 40', () => {
    const bytes = encodeMfiFrame({
      header: { ...header, cmd: 0x05, flags: 0 },
      body: { layout: 'dcmd', opcode: 0x01010000, mailbox: Buffer.from('0102030405060708090a0b0c', 'hex'), sgl: [{ address: 0x7000n, length: 0x800 }] },
    });
    expect(bytes.readUInt32LE(24)).toBe(0x01010000);
    expect(bytes.subarray(28, 40)).toEqual(Buffer.from('0102030405060708090a0b0c', 'hex'));
    expect(bytes.readUInt32LE(40)).toBe(0x7000);
    expect(bytes.readUInt32LE(44)).toBe(0x800);
  });

  it('writes an INIT frame with its queue-info address as qinfo_new_addr lo/hi', () => {
    const bytes = encodeMfiFrame({ header: { ...header, cmd: 0x00 }, body: { layout: 'init', queueInfoAddress: 0x2_0000_1000n } });
    expect(bytes).toHaveLength(64);
    expect(bytes.readUInt32LE(24)).toBe(0x1000);
    expect(bytes.readUInt32LE(28)).toBe(2);
    expect(bytes.subarray(32).equals(Buffer.alloc(32))).toBe(true);
  });

  it('writes what no correct driver would: an unknown cmd, sge_count past the list, bad cdb_len, huge lengths', () => {
    const bytes = encodeMfiFrame(passThrough({ cmd: 0xee, sgeCount: 200, cdbLength: 0xff, senseLength: 0xff, dataTransferLength: 0xffffffff }));
    expect(bytes[0]).toBe(0xee);
    expect(bytes[1]).toBe(0xff);
    expect(bytes[6]).toBe(0xff);
    expect(bytes[7]).toBe(200);
    expect(bytes.readUInt32LE(20)).toBe(0xffffffff);
  });

  it('refuses a value wider than its field', () => {
    expect(() => encodeMfiFrame(passThrough({ cmd: 0x100 }))).toThrow(/out of range/);
    expect(() => encodeMfiFrame(passThrough({ flags: 0 }, [{ address: 0x1_0000_0000n, length: 1 }]))).toThrow(/out of range/);
    expect(() => encodeMfiFrame({ header, body: { layout: 'pass-through', senseAddress: 0n, cdb: Buffer.alloc(17), sgl: [] } })).toThrow(/CDB has 17 bytes/);
  });

  test.prop([
    fc.record({
      cmd: fc.nat(0xff),
      senseLength: fc.nat(0xff),
      cmdStatus: fc.nat(0xff),
      scsiStatus: fc.nat(0xff),
      targetId: fc.nat(0xff),
      lun: fc.nat(0xff),
      cdbLength: fc.nat(0xff),
      sgeCount: fc.nat(0xff),
      context: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      flags: fc.nat(0xffff),
      timeout: fc.nat(0xffff),
      dataTransferLength: fc.nat(0xffffffff),
    }),
  ])('round-trips any header through the offsets mfi.h gives', (anyHeader) => {
    const view = encodeMfiFrame({ header: anyHeader, body: { layout: 'init', queueInfoAddress: 0n } });
    expect({
      cmd: view[0],
      senseLength: view[1],
      cmdStatus: view[2],
      scsiStatus: view[3],
      targetId: view[4],
      lun: view[5],
      cdbLength: view[6],
      sgeCount: view[7],
      context: view.readBigUInt64LE(8),
      flags: view.readUInt16LE(16),
      timeout: view.readUInt16LE(18),
      dataTransferLength: view.readUInt32LE(20),
    }).toEqual(anyHeader);
  });
});

describe('encodeMfiQueueInfo', () => {
  it('lays out struct mfi_init_qinfo: flags, entries, then reply queue, producer and consumer addresses lo/hi', () => {
    const bytes = encodeMfiQueueInfo({
      flags: 2,
      replyQueueEntries: 1000,
      replyQueueAddress: 0x1_0000_4000n,
      producerIndexAddress: 0x5000n,
      consumerIndexAddress: 0x6000n,
    });
    expect([0, 4, 8, 12, 16, 20, 24, 28].map((at) => bytes.readUInt32LE(at))).toEqual([2, 1000, 0x4000, 1, 0x5000, 0, 0x6000, 0]);
  });
});

describe('decodeMfiCompletion', () => {
  it('reads cmd_status, scsi_status and the sense_len the firmware lowered', () => {
    const frame = encodeMfiFrame(passThrough({ cmdStatus: 0x2d, scsiStatus: 0x02, senseLength: 18 }));
    expect(decodeMfiCompletion(frame)).toEqual({ cmdStatus: 0x2d, cmdStatusName: 'MFI_STAT_SCSI_DONE_WITH_ERROR', scsiStatus: 2, senseLength: 18 });
  });

  it.each([
    [0x00, 'MFI_STAT_OK'],
    [0x01, 'MFI_STAT_INVALID_CMD'],
    [0x0c, 'MFI_STAT_DEVICE_NOT_FOUND'],
    [0x10, 'MFI_STAT_FLASH_ERROR'],
    [0x20, 'MFI_STAT_MEMORY_NOT_AVAILABLE'],
    [0x2e, 'MFI_STAT_SCSI_IO_FAILED'],
    [0x30, 'MFI_STAT_SHUTDOWN_FAILED'],
    [0x40, 'MFI_STAT_MULTIPLE_PDS_IN_ARRAY'],
    [0x50, 'MFI_STAT_CONFIG_FDE_NON_FDE_MIX_NOT_ALLOWED'],
    [0x60, 'MFI_STAT_IO_METRICS_DISABLED'],
    [0x65, 'MFI_STAT_LD_BLOCK_SIZE_MISMATCH'],
    [0xff, 'MFI_STAT_INVALID_STATUS'],
    [0x66, 'MFI_STAT_0x66'],
  ])('names cmd_status %i as mfi.h does', (status, name) => {
    expect(mfiStatusName(status)).toBe(name);
  });
});
