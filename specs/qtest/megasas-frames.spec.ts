import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameCommand } from '../../harness/qtest/frame-driver';
import { MegasasFrameKind } from '../../harness/qtest/megasas-command-frame';
import { MegasasFrameDriver } from '../../harness/qtest/megasas-driver';
import { megasasFrameDriverFactory, megasasFrameDriverFactoryFor, MegasasFrameDriverFactory } from '../../harness/qtest/megasas';
import { megasasGen1, megasasGen2 } from '../../harness/qtest/megasas-variant';
import { MfiCommand, MfiFrameFlag, MfiHeader } from '../../harness/qtest/mfi-frame';
import { QtestMachine } from '../../harness/qtest/qtest-machine';
import { AttachedPath } from '../../harness/qemu/cmdline';
import { layoutTopology } from '../../harness/qemu/topology';
import { stableQemu } from '../fixtures/stable-qemu';

const blockBytes = 512;
const diskBytes = 1024 * 1024;
const timeoutMs = 5_000;

let qemu: string;
let dir: string;
let diskFile: string;
let diskContent: Buffer;

beforeAll(() => {
  qemu = stableQemu('7.2.22');
  dir = mkdtempSync(join(tmpdir(), 'hbadiff-megasas-frames-'));
  diskFile = join(dir, 'disk.img');
  diskContent = randomBytes(diskBytes);
  writeFileSync(diskFile, diskContent);
}, 1_800_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Adapter {
  readonly machine: QtestMachine;
  readonly driver: MegasasFrameDriver;
}

const running: QtestMachine[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((machine) => machine.stop()));
});

/** QEMU under qtest with one MFI adapter and a scsi-hd on the disk file (at target 0), brought up by the factory's driver. */
const bringUp = async (factory: MegasasFrameDriverFactory): Promise<Adapter> => {
  const paths: AttachedPath[] = layoutTopology({ hbas: [{ model: factory.model, disks: ['scsi-hd'] }], diskBytes }).map((layout) => ({
    layout,
    backing: { kind: 'file', path: diskFile },
  }));
  expect(paths.map(({ layout }) => layout.target)).toEqual([0]);
  const machine = await QtestMachine.start({ qemu, paths });
  running.push(machine);
  const driver = (await machine.drivers(() => factory)).get(paths[0].layout.hbaId);
  if (!(driver instanceof MegasasFrameDriver)) throw new Error(`${factory.model}: the machine brought up no MFI driver`);
  return { machine, driver };
};

const inquiry: FrameCommand = { target: 0, lun: 0, cdb: Buffer.from('120000002400', 'hex'), dataInLength: 36, timeoutMs };

const read10 = (lba: number, blocks: number): FrameCommand => {
  const cdb = Buffer.alloc(10);
  cdb[0] = 0x28;
  cdb.writeUInt32BE(lba, 2);
  cdb.writeUInt16BE(blocks, 7);
  return { target: 0, lun: 0, cdb, dataInLength: blocks * blockBytes, timeoutMs };
};

const write10 = (lba: number, data: Buffer): FrameCommand => {
  const cdb = Buffer.alloc(10);
  cdb[0] = 0x2a;
  cdb.writeUInt32BE(lba, 2);
  cdb.writeUInt16BE(data.length / blockBytes, 7);
  return { target: 0, lun: 0, cdb, dataOut: data, dataInLength: 0, timeoutMs };
};

describe.each([megasasGen1, megasasGen2])('$model over MFI frames', (variant) => {
  const factory = megasasFrameDriverFactoryFor(variant);

  it('answers INQUIRY GOOD with vendor QEMU, writing nowhere but its buffers', async () => {
    const { driver } = await bringUp(factory);
    const answer = await driver.send(inquiry);
    expect(answer).toMatchObject({ completed: true, status: 0, hbaStatusName: 'MFI_STAT_OK', deviceAnswered: true, residual: 0, strayWrites: [] });
    expect(answer.dataIn.subarray(8, 16).toString('latin1')).toBe('QEMU    ');
    expect(answer.sense).toHaveLength(0);
  });

  it.each<MegasasFrameKind>(['linux', 'ld', 'pd'])('reads back the disk file with READ (10) in %s frames', async (kind) => {
    const adapter = await bringUp(megasasFrameDriverFactoryFor(variant, kind));
    const answer = await adapter.driver.send(read10(5, 3));
    expect(answer).toMatchObject({ completed: true, status: 0, hbaStatusName: 'MFI_STAT_OK', strayWrites: [] });
    expect(answer.dataIn.equals(diskContent.subarray(5 * blockBytes, 8 * blockBytes))).toBe(true);
  });

  it("answers READ (10) with FUA as Linux's frames make it: megaraid_sas's access byte is read as a LUN, so no device", async () => {
    const fua = read10(5, 1);
    fua.cdb[1] = 0x08;
    const linuxFrames = await bringUp(factory);
    const asLinux = await linuxFrames.driver.send(fua);
    expect(asLinux).toMatchObject({ completed: true, hbaStatusName: 'MFI_STAT_DEVICE_NOT_FOUND', deviceAnswered: false });
    // One QEMU at a time holds the disk file's lock.
    await linuxFrames.machine.stop();
    const asPassThrough = await (await bringUp(megasasFrameDriverFactoryFor(variant, 'ld'))).driver.send(fua);
    expect(asPassThrough).toMatchObject({ completed: true, status: 0, hbaStatusName: 'MFI_STAT_OK' });
  });

  it('writes data-out to the disk file with WRITE (10)', async () => {
    const { driver } = await bringUp(factory);
    const data = randomBytes(2 * blockBytes);
    const answer = await driver.send(write10(40, data));
    expect(answer).toMatchObject({ completed: true, status: 0, hbaStatusName: 'MFI_STAT_OK', strayWrites: [] });
    expect(readFileSync(diskFile).subarray(40 * blockBytes, 42 * blockBytes).equals(data)).toBe(true);
    expect((await driver.send(read10(40, 2))).dataIn.equals(data)).toBe(true);
  });

  it('answers a command to an absent target itself: MFI_STAT_DEVICE_NOT_FOUND, the device never asked', async () => {
    const { driver } = await bringUp(factory);
    const answer = await driver.send({ ...inquiry, target: 5 });
    expect(answer).toMatchObject({ completed: true, hbaStatus: 0x0c, hbaStatusName: 'MFI_STAT_DEVICE_NOT_FOUND', deviceAnswered: false, strayWrites: [] });
    expect(answer.dataIn.equals(Buffer.alloc(36))).toBe(true);
  });

  it('fails a command without data as megasas_map_sgl() does for the guest: CHECK CONDITION, INTERNAL TARGET FAILURE', async () => {
    const { driver } = await bringUp(factory);
    const answer = await driver.send({ target: 0, lun: 0, cdb: Buffer.alloc(6), dataInLength: 0, timeoutMs });
    expect(answer).toMatchObject({ completed: true, status: 2, hbaStatusName: 'MFI_STAT_SCSI_DONE_WITH_ERROR', deviceAnswered: true, strayWrites: [] });
    expect(answer.sense).toHaveLength(18);
    expect([answer.sense[2] & 0xf, answer.sense[12], answer.sense[13]]).toEqual([0x4, 0x44, 0x00]);
  });

  it("completes 200 READ (10) in a row, freeing each command's buffers", async () => {
    const { driver, machine } = await bringUp(factory);
    const before = machine.memory.mark();
    const started = process.hrtime.bigint();
    const answers = [];
    for (let index = 0; index < 200; index++) answers.push(await driver.send(read10(index % 200, 8)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(answers.every((answer) => answer.completed && answer.status === 0 && answer.strayWrites.length === 0)).toBe(true);
    expect(machine.memory.mark()).toEqual(before);
    expect(answers[199].dataIn.equals(diskContent.subarray(199 * blockBytes, 207 * blockBytes))).toBe(true);
    process.stdout.write(`${factory.model}: READ (10) 4 KiB over MFI frames, ${(200 / seconds).toFixed(0)} commands/s\n`);
  });
});

describe('sendFrame', () => {
  const header: MfiHeader = {
    cmd: MfiCommand.dcmd,
    senseLength: 0,
    cmdStatus: 0xff,
    scsiStatus: 0,
    targetId: 0,
    lun: 0,
    cdbLength: 0,
    sgeCount: 0,
    context: 0x4242n,
    flags: MfiFrameFlag.sgl64,
    timeout: 0,
    dataTransferLength: 0,
  };

  it('posts a frame no driver would send and reads what megasas.c made of it: an unknown cmd is MFI_STAT_INVALID_CMD', async () => {
    const { driver } = await bringUp(megasasFrameDriverFactory);
    const outcome = await driver.sendFrame({ header: { ...header, cmd: 0xee }, body: { layout: 'dcmd', opcode: 0, mailbox: Buffer.alloc(0), sgl: [] } }, [], { timeoutMs });
    expect(outcome).toMatchObject({ completed: true, completion: { cmdStatusName: 'MFI_STAT_INVALID_CMD' }, strayWrites: [] });
  });

  it('names the guard QEMU overwrote when a frame points its SGL 8 bytes before a buffer', async () => {
    const { driver, machine } = await bringUp(megasasFrameDriverFactory);
    const [sense, data] = await Promise.all([machine.memory.allocGuarded('inquiry sense', 96), machine.memory.allocGuarded('inquiry data', 36)]);
    const outcome = await driver.sendFrame(
      {
        header: { ...header, cmd: MfiCommand.ldScsiIo, senseLength: 96, cdbLength: 6, sgeCount: 1, dataTransferLength: 36 },
        body: { layout: 'pass-through', senseAddress: BigInt(sense.address), cdb: inquiry.cdb, sgl: [{ address: BigInt(data.address - 8), length: 36 }] },
      },
      [sense, data],
      { timeoutMs },
    );
    expect(outcome).toMatchObject({ completed: true, completion: { cmdStatusName: 'MFI_STAT_OK' } });
    expect(outcome.strayWrites).toEqual([expect.stringMatching(/^inquiry data \(36 bytes at 0x[0-9a-f]+\): \d+ guard byte\(s\) before it changed/)]);
    // INQUIRY's vendor field, 8 bytes into the data, landed where the SGL said: the buffer's first byte.
    expect(outcome.buffers[1].subarray(0, 8).toString('latin1')).toBe('QEMU    ');
  });

  it('reports a frame the firmware keeps (CTRL_EVENT_WAIT waits for an event) as not completed within its timeout', async () => {
    const { driver, machine } = await bringUp(megasasFrameDriverFactory);
    const detail = await machine.memory.allocGuarded('event detail', 256);
    const outcome = await driver.sendFrame(
      {
        header: { ...header, sgeCount: 1, dataTransferLength: 256 },
        body: { layout: 'dcmd', opcode: 0x01040500, mailbox: Buffer.alloc(12), sgl: [{ address: BigInt(detail.address), length: 256 }] },
      },
      [detail],
      { timeoutMs: 300 },
    );
    expect(outcome).toMatchObject({ completed: false, completion: { cmdStatus: 0xff }, strayWrites: [] });
  });
});
