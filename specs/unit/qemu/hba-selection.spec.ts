import { UserError } from '../../../harness/errors/user-error';
import { GuestImage } from '../../../harness/guest/image';
import { QemuBinary } from '../../../harness/qemu/binary';
import { pathsOfHbas } from '../../../harness/qemu/hba/hba-selection';
import { hbaDrivers } from '../../../harness/qemu/hba/registry';
import { layoutTopology } from '../../../harness/qemu/topology';
import { topologyOfPaths } from '../../../harness/session/case-topology';

const qemu = (devices: string[], machines = ['microvm', 'pc']): QemuBinary =>
  ({ path: '/usr/bin/qemu-system-x86_64', devices: new Set(devices), machines: new Set(machines) }) as unknown as QemuBinary;
const image = (modules: string[]): GuestImage => ({ modules }) as unknown as GuestImage;
const everything = qemu(hbaDrivers.map((driver) => driver.qemuDevice));
const allModules = image([...new Set(hbaDrivers.map((driver) => driver.guestModule))]);

describe('choosing HBAs for a wide topology', () => {
  it('takes for all every HBA QEMU has and the guest binds, and says why it leaves one out', () => {
    const skipped: string[] = [];
    const chosen = pathsOfHbas('all', 'scsi-hd', qemu(hbaDrivers.map((driver) => driver.qemuDevice).filter((device) => device !== 'pvscsi')), image(['megaraid_sas', 'virtio_scsi', 'sym53c8xx', 'mptsas', 'vmw_pvscsi']), (line) => skipped.push(line));
    // The narrowest buses first, so that every path's target id fits its bus.
    expect(chosen).toEqual(['lsi53c895a:scsi-hd', 'lsi53c810:scsi-hd', 'mptsas1068:scsi-hd', 'megasas:scsi-hd', 'megasas-gen2:scsi-hd', 'virtio-scsi:scsi-hd']);
    expect(skipped).toEqual([
      'pvscsi: left out, /usr/bin/qemu-system-x86_64 has no -device pvscsi',
      'am53c974: left out, the guest image does not load am53c974 (guests/profiles/)',
      'dc390: left out, the guest image does not load am53c974 (guests/profiles/)',
      'usb-uas: left out, the guest image does not load uas (guests/profiles/)',
      'usb-bot: left out, the guest image does not load usb_storage (guests/profiles/)',
    ]);
  });

  it('refuses a named HBA that is unknown or cannot be here, in one line', () => {
    expect(() => pathsOfHbas('megasas,ahci', 'scsi-hd', everything, allModules, () => undefined)).toThrow(new UserError('--hbas: unknown HBA ahci (known: megasas, megasas-gen2, virtio-scsi, virtio-scsi-iothread, mptsas1068, lsi53c895a, pvscsi, lsi53c810, am53c974, dc390, usb-uas, usb-bot, or all)'));
    expect(() => pathsOfHbas('dc390,megasas', 'scsi-hd', qemu(hbaDrivers.map((driver) => driver.qemuDevice), ['microvm']), allModules, () => undefined)).toThrow(
      new UserError('--hbas: dc390 cannot be tested here: /usr/bin/qemu-system-x86_64 has no machine with a PCI I/O port window (q35, pc), which its guest driver am53c974 maps'),
    );
    expect(() => pathsOfHbas('megasas', 'scsi-hd,scsi-cd', everything, allModules, () => undefined)).toThrow(/--disks: unknown disk kind scsi-cd/);
    expect(() => pathsOfHbas('megasas', 'scsi-hd', everything, allModules, () => undefined)).toThrow(/name at least two paths/);
  });

  it('leaves out of all the disk kinds an HBA never brings up, saying why, and keeps them in a list the user names', () => {
    const skipped: string[] = [];
    const every = pathsOfHbas('all', 'scsi-hd,scsi-block', everything, allModules, (line) => skipped.push(line));
    expect(every.filter((path) => path.startsWith('am53c974:') || path.startsWith('dc390:'))).toEqual(['am53c974:scsi-hd', 'dc390:scsi-hd']);
    expect(skipped).toEqual([expect.stringMatching(/^am53c974:scsi-block: left out, .*never completes/), expect.stringMatching(/^dc390:scsi-block: left out, /)]);
    expect(pathsOfHbas('am53c974,dc390', 'scsi-block', everything, allModules, () => undefined)).toEqual(['am53c974:scsi-block', 'dc390:scsi-block']);
  });

  it('takes an HBA with an iothread only where it is named: all tests each emulation once', () => {
    expect(pathsOfHbas('all', 'scsi-hd', everything, allModules, () => undefined)).not.toContain('virtio-scsi-iothread:scsi-hd');
    expect(pathsOfHbas('virtio-scsi,virtio-scsi-iothread', 'scsi-hd', everything, allModules, () => undefined)).toEqual(['virtio-scsi:scsi-hd', 'virtio-scsi-iothread:scsi-hd']);
  });

  it('lays every HBA with both disks out on target ids its bus has, one HBA per path', () => {
    const paths = pathsOfHbas(hbaDrivers.map((driver) => driver.model).join(','), 'scsi-hd,scsi-block', qemu(hbaDrivers.map((driver) => driver.qemuDevice), ['pc']), allModules, () => undefined);
    expect(paths.length).toBe(2 * hbaDrivers.length);
    const layouts = layoutTopology(topologyOfPaths(paths));
    expect(layouts.map((layout) => layout.path)).toEqual(paths);
    expect(new Set(layouts.map((layout) => layout.hbaId)).size).toBe(paths.length);
    for (const layout of layouts) expect([layout.path, layout.hba.usableTargets.includes(layout.target)]).toEqual([layout.path, true]);
    // The guest tells a driver's paths apart by target (where it does not number them itself): no two share one.
    const perDriver = layouts.filter((layout) => !layout.hba.targetsInDiscoveryOrder).map((layout) => `${layout.hba.guestDriver} ${layout.target}`);
    expect(new Set(perDriver).size).toBe(perDriver.length);
  });
});
