import { HbaModel, hbaDriver } from './hba/registry';
import { HbaDriver } from './hba/hba-driver';

/** How a disk reaches QEMU: its own emulated disk on a file, or a real LUN passed through. */
export type DiskKind = 'scsi-hd' | 'scsi-block';

export const diskKinds: readonly DiskKind[] = ['scsi-hd', 'scsi-block'];

/** The controllers and disks a guest is given: plain data, turned into a command line elsewhere. */
export interface Topology {
  readonly hbas: readonly { readonly model: HbaModel; readonly disks: readonly DiskKind[] }[];
  /** Every disk has this size and starts with the same content. */
  readonly diskBytes: number;
}

/** Names one way a command reaches a disk: `<hba>:<disk>`, with `#2`, `#3`… where a topology repeats a pair. */
export type PathId = string & { readonly __brand: 'PathId' };

/** Where one path's disk sits: which HBA, which bus address, which QEMU ids. */
export interface PathLayout {
  readonly path: PathId;
  readonly hbaId: string;
  readonly hba: HbaDriver;
  readonly diskId: string;
  readonly disk: DiskKind;
  /** Unique across the topology, so the guest's (driver, target) pair names exactly one path. */
  readonly target: number;
}

export const defaultTopology: Topology = {
  hbas: [
    { model: 'megasas', disks: ['scsi-hd', 'scsi-block'] },
    { model: 'virtio-scsi', disks: ['scsi-hd', 'scsi-block'] },
  ],
  diskBytes: 8 * 1024 * 1024,
};

export const layoutTopology = (topology: Topology): PathLayout[] => {
  const layouts: PathLayout[] = [];
  const seen = new Map<string, number>();
  let nextTarget = 0;
  topology.hbas.forEach((hbaSpec, hbaIndex) => {
    const hba = hbaDriver(hbaSpec.model);
    hbaSpec.disks.forEach((disk) => {
      const target = hba.usableTargets.find((candidate) => candidate >= nextTarget);
      if (target === undefined) {
        throw new Error(`topology: ${hba.model} has no free target id at or above ${nextTarget}`);
      }
      nextTarget = target + 1;
      const pair = `${hba.model}:${disk}`;
      const occurrence = (seen.get(pair) ?? 0) + 1;
      seen.set(pair, occurrence);
      layouts.push({
        path: (occurrence === 1 ? pair : `${pair}#${occurrence}`) as PathId,
        hbaId: `hba${hbaIndex}`,
        hba,
        diskId: `disk${layouts.length}`,
        disk,
        target,
      });
    });
  });
  return layouts;
};
