import { FrameCommand } from '../../../harness/qtest/frame-driver';
import { CommandBuffers, megasasCommandFrame } from '../../../harness/qtest/megasas-command-frame';
import { MfiCommand, MfiFrameFlag } from '../../../harness/qtest/mfi-frame';

const buffers: CommandBuffers = { senseAddress: 0x5000n, senseBytes: 96, data: { address: 0x6000n, length: 4096 } };

const command = (cdbHex: string, fields: Partial<FrameCommand> = {}): FrameCommand => ({
  target: 3,
  lun: 0,
  cdb: Buffer.from(cdbHex, 'hex'),
  dataInLength: 4096,
  timeoutMs: 1000,
  ...fields,
});

describe('megasasCommandFrame', () => {
  it('sends READ (10) to a logical drive as megaraid_sas does: an LD read frame with its LBA, block count and access byte', () => {
    const frame = megasasCommandFrame(command('28180000123400000800'), 'linux', buffers, 7n);
    expect(frame.header).toMatchObject({ cmd: MfiCommand.ldRead, targetId: 3, lun: 0x18, dataTransferLength: 8, sgeCount: 1, context: 7n });
    expect(frame.header.flags).toBe(MfiFrameFlag.directionRead | MfiFrameFlag.sgl64);
    expect(frame.body).toEqual({ layout: 'io', senseAddress: 0x5000n, lba: 0x1234n, sgl: [buffers.data] });
  });

  it.each([
    ['WRITE (6)', '0a1fffff0400', MfiCommand.ldWrite, 0x1fffffn, 4, 0],
    ['READ (12)', 'a80000000010000000200000', MfiCommand.ldRead, 0x10n, 0x20, 0],
    ['WRITE (16)', '8a080000000100000002000000400000', MfiCommand.ldWrite, 0x1_0000_0002n, 0x40, 0x08],
  ])('reads %s the way megasas_build_ldio() does', (_name, cdbHex, cmd, lba, blocks, accessByte) => {
    const frame = megasasCommandFrame(command(cdbHex), 'linux', buffers, 1n);
    expect(frame.header).toMatchObject({ cmd, dataTransferLength: blocks, lun: accessByte });
    expect(frame.body).toMatchObject({ layout: 'io', lba });
  });

  it('sends anything else to a logical drive as an LD pass-through frame with the CDB as given', () => {
    const frame = megasasCommandFrame(command('120000002400', { dataInLength: 36 }), 'linux', { ...buffers, data: { address: 0x6000n, length: 36 } }, 2n);
    expect(frame.header).toMatchObject({ cmd: MfiCommand.ldScsiIo, cdbLength: 6, dataTransferLength: 36, senseLength: 96, cmdStatus: 0xff });
    expect(frame.body).toMatchObject({ layout: 'pass-through', cdb: Buffer.from('120000002400', 'hex') });
  });

  it.each([
    ['ld', MfiCommand.ldScsiIo],
    ['pd', MfiCommand.pdScsiIo],
  ] as const)('sends READ (10) as a pass-through frame when the kind is %s', (kind, cmd) => {
    const frame = megasasCommandFrame(command('28000000001000000800', { lun: 2 }), kind, buffers, 3n);
    expect(frame.header).toMatchObject({ cmd, lun: 2, cdbLength: 10, dataTransferLength: 4096 });
  });

  it('gives a command without data no SGL and no direction, as megaraid_sas does', () => {
    const frame = megasasCommandFrame(command('000000000000', { dataInLength: 0 }), 'linux', { senseAddress: 0x5000n, senseBytes: 96 }, 4n);
    expect(frame.header).toMatchObject({ sgeCount: 0, flags: MfiFrameFlag.sgl64, dataTransferLength: 0 });
    expect(frame.body).toMatchObject({ sgl: [] });
  });

  it('marks data-out with the write direction', () => {
    const frame = megasasCommandFrame(command('2a000000000000000100', { dataOut: Buffer.alloc(512), dataInLength: 0 }), 'ld', buffers, 5n);
    expect(frame.header.flags & MfiFrameFlag.directionWrite).toBe(MfiFrameFlag.directionWrite);
  });

  it('cuts a CDB past 16 bytes to what the frame holds and says its whole length in cdb_len', () => {
    const frame = megasasCommandFrame(command('7f'.padEnd(64, '0')), 'ld', buffers, 6n);
    expect(frame.header.cdbLength).toBe(32);
    expect(frame.body).toMatchObject({ cdb: Buffer.from('7f'.padEnd(32, '0'), 'hex') });
  });
});
