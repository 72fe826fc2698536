import { bootedGuest } from './booted-guest';
import { Topology } from '../../harness/qemu/topology';
import { inquiry, readCapacity10, testUnitReady } from '../../harness/scsi/opcodes';
import { decodeStandardInquiry } from '../../harness/scsi/inquiry';
import { decodeReadCapacity10 } from '../../harness/scsi/read-capacity';
import { dataIn } from '../../harness/scsi/outcome';
import { ScsiStatus } from '../../harness/scsi/status';

/**
 * Every HBA whose guest driver enumerates disks here, in one guest, and a pair that repeats: each HBA is one
 * driver file, and a topology naming it is all a test needs. mptsas1068's disks appear only with a SAS
 * address (a `wwn`, which its driver file gives them), and the guest numbers their targets from 0.
 */
describe('a topology of the other HBAs', () => {
  const topology: Topology = {
    hbas: [
      { model: 'megasas-gen2', disks: ['scsi-hd'] },
      { model: 'lsi53c895a', disks: ['scsi-hd'] },
      { model: 'pvscsi', disks: ['scsi-hd', 'scsi-block'] },
      { model: 'virtio-scsi', disks: ['scsi-hd'] },
      { model: 'virtio-scsi', disks: ['scsi-hd'] },
      { model: 'mptsas1068', disks: ['scsi-hd', 'scsi-block'] },
    ],
    diskBytes: 4 * 1024 * 1024,
  };
  const guest = bootedGuest({ topology });

  it('finds each path behind its own guest driver, naming a repeated pair with #2', () => {
    expect(guest.session.paths.map((path) => [path.id, path.device.driver])).toEqual([
      ['megasas-gen2:scsi-hd', 'megaraid_sas'],
      ['lsi53c895a:scsi-hd', 'sym53c8xx'],
      ['pvscsi:scsi-hd', 'vmw_pvscsi'],
      ['pvscsi:scsi-block', 'vmw_pvscsi'],
      ['virtio-scsi:scsi-hd', 'virtio_scsi'],
      ['virtio-scsi:scsi-hd#2', 'virtio_scsi'],
      ['mptsas1068:scsi-hd', 'mptsas'],
      ['mptsas1068:scsi-block', 'mptsas'],
    ]);
    expect(new Set(guest.session.paths.map((path) => path.device.sgNode)).size).toBe(guest.session.paths.length);
  });

  it('answers INQUIRY and READ CAPACITY (10) on every path with the disk it was given', async () => {
    for (const path of guest.session.paths) {
      // READ CAPACITY, unlike INQUIRY, reports the power-on unit attention first (SAM-5 5.14): meet it once.
      await guest.session.exec(path, [{ cdb: testUnitReady(), direction: 'none', length: 0 }]);
      const [standard, capacity] = await guest.session.exec(path, [
        { cdb: inquiry({ allocationLength: 36 }), direction: 'from-device', length: 36 },
        { cdb: readCapacity10(), direction: 'from-device', length: 8 },
      ]);
      expect([path.id, standard.status, capacity.status]).toEqual([path.id, ScsiStatus.good, ScsiStatus.good]);
      expect([path.id, decodeStandardInquiry(dataIn(standard, 36)).vendor]).toEqual([
        path.id,
        path.layout.disk === 'scsi-hd' ? 'QEMU' : 'IET',
      ]);
      expect([path.id, decodeReadCapacity10(dataIn(capacity, 8))]).toMatchObject([path.id, { lastLba: 8191, blockLength: 512 }]);
    }
  });
});
