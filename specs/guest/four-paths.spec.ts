import { bootedGuest } from './booted-guest';
import { fc, test } from '@fast-check/jest';
import { GuestPath, GuestSession } from '../../harness/session/guest-session';
import { initialDiskContent, blockBytes } from '../../harness/session/disk-content';
import { defaultTopology } from '../../harness/qemu/topology';
import { inquiry, read10, readCapacity10, testUnitReady, write10 } from '../../harness/scsi/opcodes';
import { decodeSense } from '../../harness/scsi/sense';
import { decodeStandardInquiry } from '../../harness/scsi/inquiry';
import { decodeReadCapacity10 } from '../../harness/scsi/read-capacity';
import { dataIn } from '../../harness/scsi/outcome';
import { ScsiStatus } from '../../harness/scsi/status';

/**
 * The walking skeleton, end to end with real parts: one guest on the default topology, {megasas,
 * virtio-scsi} x {scsi-hd, scsi-block over iSCSI to a private tgtd}, answering through all four paths.
 */
describe('the default topology, booted', () => {
  const guest = bootedGuest({ topology: defaultTopology });
  const unitAttention = 0x6;
  const diskBlocks = defaultTopology.diskBytes / blockBytes;
  const initial = initialDiskContent(defaultTopology.diskBytes);

  const eachPath = (): GuestPath[] => guest.session.paths.slice();
  const one = async (path: GuestPath, command: Parameters<GuestSession['exec']>[1][number]) =>
    (await guest.session.exec(path, [command]))[0];

  it('finds all four paths, each behind the guest driver its HBA should bind', () => {
    expect(guest.session.paths.map((path) => [path.id, path.device.driver])).toEqual([
      ['megasas:scsi-hd', 'megaraid_sas'],
      ['megasas:scsi-block', 'megaraid_sas'],
      ['virtio-scsi:scsi-hd', 'virtio_scsi'],
      ['virtio-scsi:scsi-block', 'virtio_scsi'],
    ]);
    for (const path of guest.session.paths) {
      expect(path.device.sgNode).toMatch(/^\/dev\/sg\d+$/);
      // sd_mod is not loaded (guests/profiles/default.json): no block node, and sd's probe sends nothing.
      expect(path.device.blockNode).toBeNull();
    }
  });

  /*
   * megasas answers every command that moves no data with CHECK CONDITION, HARDWARE ERROR, INTERNAL
   * TARGET FAILURE: megasas_map_sgl() (hw/scsi/megasas.c) rejects a frame with no scatter-gather entry,
   * which is what Linux's megaraid_sas sends for a command without data, since the fix for LP#1878263
   * (QEMU 5.2). virtio-scsi answers GOOD, as SPC-5 requires of a ready unit. This is the first divergence
   * hbadiff knew of; it stays pinned here until the per-QEMU baseline takes it over.
   */
  const expectedUnitReady = {
    megasas: { status: ScsiStatus.checkCondition, key: 0x4, asc: 0x44, ascq: 0x00 },
    'virtio-scsi': { status: ScsiStatus.good, key: undefined, asc: undefined, ascq: undefined },
  } as const;

  it('is controllable over QMP, where QEMU reports the guest running', async () => {
    const qmp = await guest.session.machine.qmp();
    expect(await qmp.execute('query-status')).toMatchObject({ status: 'running', running: true });
  });

  it('answers TEST UNIT READY as each HBA does once power-on unit attentions are consumed', async () => {
    for (const path of eachPath()) {
      let result = await one(path, { cdb: testUnitReady(), direction: 'none', length: 0 });
      for (let attempt = 0; attempt < 3 && decodeSense(result.sense)?.key === unitAttention; attempt++) {
        result = await one(path, { cdb: testUnitReady(), direction: 'none', length: 0 });
      }
      const sense = decodeSense(result.sense);
      expect({ path: path.id, errno: result.errno, status: result.status, key: sense?.key, asc: sense?.asc, ascq: sense?.ascq }).toEqual({
        path: path.id,
        errno: 0,
        ...expectedUnitReady[path.layout.hba.model as keyof typeof expectedUnitReady],
      });
    }
  });

  it('answers a standard INQUIRY as a direct-access device naming its emulation or its target', async () => {
    const expectedIdentity = { 'scsi-hd': ['QEMU', 'QEMU HARDDISK'], 'scsi-block': ['IET', 'VIRTUAL-DISK'] };
    for (const path of eachPath()) {
      const result = await one(path, { cdb: inquiry({ allocationLength: 96 }), direction: 'from-device', length: 96 });
      expect([path.id, result.status]).toEqual([path.id, ScsiStatus.good]);
      const decoded = decodeStandardInquiry(dataIn(result, 96));
      expect([path.id, decoded.peripheralQualifier, decoded.peripheralDeviceType, decoded.vendor, decoded.product]).toEqual([
        path.id,
        0,
        0,
        ...expectedIdentity[path.layout.disk],
      ]);
      expect(decoded.additionalLength + 5).toBeGreaterThanOrEqual(36);
    }
  });

  it('reports the same capacity through every path: the size of the disk it was given', async () => {
    for (const path of eachPath()) {
      const result = await one(path, { cdb: readCapacity10(), direction: 'from-device', length: 8 });
      expect([path.id, result.status, result.residual]).toEqual([path.id, ScsiStatus.good, 0]);
      expect(decodeReadCapacity10(result.dataIn)).toMatchObject({ lastLba: diskBlocks - 1, blockLength: blockBytes });
    }
  });

  it('reads back the initial content, identical on every path', async () => {
    for (const path of eachPath()) {
      const result = await one(path, { cdb: read10({ lba: 100, blocks: 4 }), direction: 'from-device', length: 4 * blockBytes });
      expect([path.id, result.status, result.residual]).toEqual([path.id, ScsiStatus.good, 0]);
      expect(result.dataIn.equals(initial.subarray(100 * blockBytes, 104 * blockBytes))).toBe(true);
    }
  });

  test.prop(
    [
      fc.integer({ min: 0, max: diskBlocks - 16 }),
      fc.integer({ min: 1, max: 16 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 0xffffffff }),
    ],
    { numRuns: 12 },
  )('writes with WRITE (10) and reads the same bytes back with READ (10), on the path written only', async (lba, blocks, pathIndex, seed) => {
    const paths = eachPath();
    const target = paths[pathIndex];
    const data = Buffer.alloc(blocks * blockBytes);
    for (let offset = 0; offset < data.length; offset += 4) data.writeUInt32LE((seed + offset * 2654435761) >>> 0, offset);
    const [written, readBack] = await guest.session.exec(target, [
      { cdb: write10({ lba, blocks }), direction: 'to-device', length: data.length, dataOut: data },
      { cdb: read10({ lba, blocks }), direction: 'from-device', length: data.length },
    ]);
    expect([written.status, written.residual, readBack.status, readBack.residual]).toEqual([ScsiStatus.good, 0, ScsiStatus.good, 0]);
    expect(readBack.dataIn.equals(data)).toBe(true);
    for (const other of paths.filter((path) => path !== target)) {
      const [untouched] = await guest.session.exec(other, [{ cdb: read10({ lba, blocks }), direction: 'from-device', length: data.length }]);
      expect(untouched.dataIn.equals(data)).toBe(false);
    }
  });
});
