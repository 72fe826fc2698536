import { UserError } from '../../errors/user-error';
import { GuestImage } from '../../guest/image';
import { QemuBinary } from '../binary';
import { DiskKind, diskKinds, PathId } from '../topology';
import { HbaDriver } from './hba-driver';
import { hbaDrivers, hbaEmulations } from './registry';

/** Why an HBA cannot be in a topology here: its QEMU device is not in the build, or its guest module not in the image. */
const unavailability = (driver: HbaDriver, qemu: QemuBinary, image: GuestImage): string | undefined => {
  if (!qemu.devices.has(driver.qemuDevice)) return `${qemu.path} has no -device ${driver.qemuDevice}`;
  if (!image.modules.includes(driver.guestModule)) return `the guest image does not load ${driver.guestModule} (guests/profiles/)`;
  if (driver.needsIoPorts && !qemu.machines.has('q35') && !qemu.machines.has('pc')) return `${qemu.path} has no machine with a PCI I/O port window (q35, pc), which its guest driver ${driver.guestModule} maps`;
  return undefined;
};

/**
 * `--hbas LIST|all`: `all` is every HBA this QEMU build has and the guest's drivers bind (each one left out
 * says why, to `skipped`); a list names them, and one that cannot be here is the user's error.
 */
const selectHbas = (
  text: string,
  qemu: QemuBinary,
  image: GuestImage,
  skipped: (line: string) => void,
): HbaDriver[] => {
  if (text.trim() === 'all') {
    return hbaEmulations.filter((driver) => {
      const why = unavailability(driver, qemu, image);
      if (why) skipped(`${driver.model}: left out, ${why}`);
      return why === undefined;
    });
  }
  const names = text.split(',').map((name) => name.trim());
  return names.map((name) => {
    const driver = hbaDrivers.find((candidate) => candidate.model === name);
    if (!driver) throw new UserError(`--hbas: unknown HBA ${name} (known: ${hbaDrivers.map((each) => each.model).join(', ')}, or all)`);
    const why = unavailability(driver, qemu, image);
    if (why) throw new UserError(`--hbas: ${name} cannot be tested here: ${why}`);
    return driver;
  });
};

/** `--disks LIST`: scsi-hd, scsi-block or both. */
const selectDisks = (text: string): DiskKind[] => {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !diskKinds.includes(name as DiskKind));
  if (unknown.length > 0 || names.length === 0) throw new UserError(`--disks: unknown disk kind ${unknown.join(', ')} (known: ${diskKinds.join(', ')})`);
  return [...new Set(names as DiskKind[])];
};

/**
 * Every HBA with every disk kind, one HBA per path as a case naming these paths gets it on replay; the
 * narrowest buses first, so that every path's target id fits its bus. `all` leaves out the disk kinds an
 * HBA is known not to bring up (said to `skipped`); a list the user names keeps them.
 */
const widePaths = (hbas: readonly HbaDriver[], disks: readonly DiskKind[], everyHba: boolean, skipped: (line: string) => void): PathId[] => {
  const paths = [...hbas]
    .sort((a, b) => a.usableTargets.length - b.usableTargets.length)
    .flatMap((hba) =>
      disks.flatMap((disk) => {
        const why = everyHba ? hba.disksThatNeverComeUp?.[disk] : undefined;
        if (why) skipped(`${hba.model}:${disk}: left out, ${why}`);
        return why ? [] : [`${hba.model}:${disk}` as PathId];
      }),
    );
  if (paths.length < 2) throw new UserError('--hbas, --disks: name at least two paths to compare');
  return paths;
};

/** `--hbas TEXT --disks TEXT` as the paths they make, the HBAs and paths left out of `all` said to `skipped`. */
export const pathsOfHbas = (hbas: string, disks: string, qemu: QemuBinary, image: GuestImage, skipped: (line: string) => void): PathId[] =>
  widePaths(selectHbas(hbas, qemu, image, skipped), selectDisks(disks), hbas.trim() === 'all', skipped);
