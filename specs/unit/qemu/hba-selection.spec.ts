import { UserError } from '../../../harness/errors/user-error';
import { GuestImage } from '../../../harness/guest/image';
import { QemuBinary } from '../../../harness/qemu/binary';
import { selectDisks, selectHbas, widePaths } from '../../../harness/qemu/hba/hba-selection';
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
    const chosen = selectHbas('all', qemu(hbaDrivers.map((driver) => driver.qemuDevice).filter((device) => device !== 'pvscsi')), image(['megaraid_sas', 'virtio_scsi', 'sym53c8xx', 'mptsas', 'vmw_pvscsi']), (line) => skipped.push(line));
    expect(chosen.map((driver) => driver.model)).toEqual(['megasas', 'megasas-gen2', 'virtio-scsi', 'mptsas1068', 'lsi53c895a', 'lsi53c810']);
    expect(skipped).toEqual([
      'pvscsi: left out, /usr/bin/qemu-system-x86_64 has no -device pvscsi',
      'am53c974: left out, the guest image does not load am53c974 (guests/profiles/)',
      'dc390: left out, the guest image does not load am53c974 (guests/profiles/)',
      'usb-uas: left out, the guest image does not load uas (guests/profiles/)',
      'usb-bot: left out, the guest image does not load usb_storage (guests/profiles/)',
    ]);
  });

  it('refuses a named HBA that is unknown or cannot be here, in one line', () => {
    expect(() => selectHbas('megasas,ahci', everything, allModules, () => undefined)).toThrow(new UserError('--hbas: unknown HBA ahci (known: megasas, megasas-gen2, virtio-scsi, mptsas1068, lsi53c895a, pvscsi, lsi53c810, am53c974, dc390, usb-uas, usb-bot, or all)'));
    expect(() => selectHbas('dc390', everything, allModules, () => undefined)).toThrow(/--hbas: dc390 cannot be tested here: .*PCI I\/O port window/);
    expect(() => selectDisks('scsi-hd,scsi-cd')).toThrow(/--disks: unknown disk kind scsi-cd/);
  });

  it('lays every HBA with both disks out on target ids its bus has, one HBA per path', () => {
    const paths = widePaths(hbaDrivers, ['scsi-hd', 'scsi-block']);
    const layouts = layoutTopology(topologyOfPaths(paths));
    expect(layouts.map((layout) => layout.path)).toEqual(paths);
    expect(new Set(layouts.map((layout) => layout.hbaId)).size).toBe(paths.length);
    for (const layout of layouts) expect([layout.path, layout.hba.usableTargets.includes(layout.target)]).toEqual([layout.path, true]);
    // The guest tells a driver's paths apart by target (where it does not number them itself): no two share one.
    const perDriver = layouts.filter((layout) => !layout.hba.targetsInDiscoveryOrder).map((layout) => `${layout.hba.guestDriver} ${layout.target}`);
    expect(new Set(perDriver).size).toBe(perDriver.length);
  });
});
