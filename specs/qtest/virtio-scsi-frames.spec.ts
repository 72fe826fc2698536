import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutTopology } from '../../harness/qemu/topology';
import type { FrameCommand, FrameDriver } from '../../harness/qtest/frame-driver';
import { findPciDevices } from '../../harness/qtest/pci';
import { QtestMachine } from '../../harness/qtest/qtest-machine';
import { VirtioScsiFrameDriver, virtioScsiChain, virtioScsiFrameDriverFactory } from '../../harness/qtest/virtio-scsi';
import { stableQemu } from '../fixtures/stable-qemu';

const diskBytes = 8 * 1024 * 1024;
const blockBytes = 512;
const knownLba = 5;
// Bytes below 0x80: none equals a guard byte (0xde 0xad 0xbe 0xef), so data written over a guard changes every byte of it.
const knownBlock = Buffer.from(randomBytes(blockBytes).map((byte) => byte & 0x7f));

const inquiry = Buffer.from([0x12, 0, 0, 0, 0x60, 0]);
const testUnitReady = Buffer.alloc(6);
const read10 = (lba: number, blocks: number): Buffer => {
  const cdb = Buffer.alloc(10);
  cdb[0] = 0x28;
  cdb.writeUInt32BE(lba, 2);
  cdb.writeUInt16BE(blocks, 7);
  return cdb;
};

describe('virtio-scsi spoken to in frames over qtest (QEMU 7.2.22, scsi-hd)', () => {
  const [layout] = layoutTopology({ hbas: [{ model: 'virtio-scsi', disks: ['scsi-hd'] }], diskBytes });
  const directory = mkdtempSync(join(tmpdir(), 'hbadiff-virtio-frames-'));
  let machine: QtestMachine;
  let driver: FrameDriver;
  const to = (command: Omit<FrameCommand, 'target' | 'lun' | 'timeoutMs'>, target = layout.target): FrameCommand => ({ target, lun: 0, timeoutMs: 5_000, ...command });

  beforeAll(async () => {
    const file = join(directory, 'disk.raw');
    const content = Buffer.alloc(diskBytes);
    knownBlock.copy(content, knownLba * blockBytes);
    writeFileSync(file, content);
    machine = await QtestMachine.start({ qemu: stableQemu('7.2.22'), paths: [{ layout, backing: { kind: 'file', path: file } }] });
    const drivers = await machine.drivers(() => virtioScsiFrameDriverFactory);
    driver = drivers.get(layout.hbaId) as FrameDriver;
  });
  afterAll(async () => {
    await machine?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds the HBA on bus 0 by the ids the factory claims, beside q35 host bridge', async () => {
    const functions = await findPciDevices(machine.qtest);
    expect(functions[0]).toEqual({ devfn: 0, vendorId: 0x8086, deviceId: 0x29c0 });
    expect(functions.filter((found) => found.vendorId === 0x1af4 && found.deviceId === 0x1004)).toHaveLength(1);
  });

  it('INQUIRY to target 0 LUN 0: GOOD, a direct-access device, vendor QEMU, no stray write', async () => {
    const answer = await driver.send(to({ cdb: inquiry, dataInLength: 0x60 }));
    expect(answer).toMatchObject({ completed: true, status: 0, hbaStatus: 0, hbaStatusName: 'VIRTIO_SCSI_S_OK', deviceAnswered: true, strayWrites: [] });
    expect(answer.dataIn).toHaveLength(0x60);
    expect(answer.dataIn[0] & 0x1f).toBe(0);
    expect(answer.dataIn.subarray(8, 16).toString('latin1')).toBe('QEMU    ');
  });

  it('TEST UNIT READY: the power-on unit attention once, then GOOD', async () => {
    const first = await driver.send(to({ cdb: testUnitReady, dataInLength: 0 }));
    expect(first).toMatchObject({ completed: true, status: 2, hbaStatusName: 'VIRTIO_SCSI_S_OK', strayWrites: [] });
    expect([first.sense[2] & 0x0f, first.sense[12]]).toEqual([0x06, 0x29]);
    const second = await driver.send(to({ cdb: testUnitReady, dataInLength: 0 }));
    expect(second).toMatchObject({ completed: true, status: 0, sense: Buffer.alloc(0), residual: 0, strayWrites: [] });
  });

  it('READ(10) of a block written to the disk file beforehand reads back its bytes, into a larger host buffer too', async () => {
    const answer = await driver.send(to({ cdb: read10(knownLba, 1), dataInLength: blockBytes }));
    expect(answer).toMatchObject({ completed: true, status: 0, residual: 0, strayWrites: [] });
    expect(answer.dataIn).toEqual(knownBlock);
    const larger = await driver.send(to({ cdb: read10(knownLba, 1), dataInLength: 2 * blockBytes }));
    // scsi-disk subtracts the whole host buffer from the transfer length (scsi_dma_complete_noio): virtio-scsi's
    // resid is then 512 - 1024, read signed, as Linux's virtio_scsi hands it to SG_IO.
    expect(larger).toMatchObject({ completed: true, status: 0, residual: blockBytes - 2 * blockBytes, strayWrites: [] });
    expect(larger.dataIn.subarray(0, blockBytes)).toEqual(knownBlock);
  });

  it('a command to an absent target: VIRTIO_SCSI_S_BAD_TARGET, from the HBA, not the device', async () => {
    const answer = await driver.send(to({ cdb: testUnitReady, dataInLength: 0 }, layout.target + 1));
    expect(answer).toMatchObject({ completed: true, hbaStatus: 3, hbaStatusName: 'VIRTIO_SCSI_S_BAD_TARGET', deviceAnswered: false, strayWrites: [] });
  });

  it('reports the guard a device wrote over: a data-in descriptor longer than its buffer', async () => {
    const virtio = driver as VirtioScsiFrameDriver;
    const mark = machine.memory.mark();
    try {
      const buffers = await virtio.buffersFor(to({ cdb: read10(knownLba, 1), dataInLength: blockBytes / 2 }));
      const chain = virtioScsiChain(buffers, virtio.queueSize);
      const lying = { ...chain, descriptors: chain.descriptors.map((descriptor, index) => (index === chain.descriptors.length - 1 ? { ...descriptor, length: blockBytes } : descriptor)) };
      expect(await virtio.submit(lying, 5_000)).toBeDefined();
      const stray = await machine.memory.strayWrites();
      expect(stray).toEqual([expect.stringMatching(/^virtio-scsi data-in \(256 bytes at 0x[0-9a-f]+\): 64 guard byte\(s\) after it changed/)]);
    } finally {
      machine.memory.release(mark);
    }
    expect(await machine.memory.strayWrites()).toEqual([]);
  });

  it('READ(10) of one block in a loop: every answer right (the rate is printed, not asserted)', async () => {
    const count = 1000;
    const started = process.hrtime.bigint();
    for (let index = 0; index < count; index++) {
      const answer = await driver.send(to({ cdb: read10(knownLba, 1), dataInLength: blockBytes }));
      if (answer.status !== 0 || !answer.dataIn.equals(knownBlock) || answer.strayWrites.length > 0) throw new Error(`READ(10) #${index}: ${JSON.stringify(answer)}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`virtio-scsi frames: ${Math.round(count / seconds)} READ(10) commands/s\n`);
  });
});
