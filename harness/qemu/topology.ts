import { HbaModel, hbaDriver } from './hba/registry';
import { HbaDriver } from './hba/hba-driver';
import { BlkdebugFault } from './blkdebug';

/** How a disk reaches QEMU: its own emulated disk on a file, or a real LUN passed through. */
export type DiskKind = 'scsi-hd' | 'scsi-block';

export const diskKinds: readonly DiskKind[] = ['scsi-hd', 'scsi-block'];

/**
 * One disk of a topology: its kind alone, or its kind with QEMU-side settings. `properties` are extra
 * `-device` properties (scsi-hd's `vendor`, `product`, `serial`, `rerror`…); `faults` put QEMU's blkdebug
 * driver under a scsi-hd disk's raw node.
 */
export type DiskSpec =
  | DiskKind
  | {
      readonly kind: DiskKind;
      readonly properties?: Readonly<Record<string, string>>;
      readonly faults?: readonly BlkdebugFault[];
    };

/** The controllers and disks a guest is given: plain data, turned into a command line elsewhere. */
export interface Topology {
  readonly hbas: readonly { readonly model: HbaModel; readonly disks: readonly DiskSpec[] }[];
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
  /** Extra `-device` properties of the disk; empty for a plain disk. */
  readonly properties: Readonly<Record<string, string>>;
  /** blkdebug faults under the disk's file; empty for a plain disk. */
  readonly faults: readonly BlkdebugFault[];
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

/** The property names the harness sets itself: a topology's `properties` may not replace them. */
const reservedProperties = new Set(['driver', 'drive', 'id', 'bus', 'channel', 'scsi-id', 'lun']);

const normalizeDisk = (spec: DiskSpec): { kind: DiskKind; properties: Readonly<Record<string, string>>; faults: readonly BlkdebugFault[] } => {
  if (typeof spec === 'string') return { kind: spec, properties: {}, faults: [] };
  const properties = { ...(spec.properties ?? {}) };
  const reserved = Object.keys(properties).filter((name) => reservedProperties.has(name));
  if (reserved.length > 0) throw new Error(`topology: a disk's properties may not set ${reserved.join(', ')}: the harness sets them`);
  const faults = [...(spec.faults ?? [])];
  if (faults.length > 0 && spec.kind !== 'scsi-hd') {
    throw new Error(`topology: blkdebug faults need a scsi-hd disk (a file QEMU reads); ${spec.kind} has none`);
  }
  return { kind: spec.kind, properties, faults };
};

export const layoutTopology = (topology: Topology): PathLayout[] => {
  const layouts: PathLayout[] = [];
  const seen = new Map<string, number>();
  let nextTarget = 0;
  /** Target ids each guest driver (or HBA) has given out: the guest tells its paths apart by driver and target. */
  const taken = new Map<string, Set<number>>();
  topology.hbas.forEach((hbaSpec, hbaIndex) => {
    const hba = hbaDriver(hbaSpec.model);
    hbaSpec.disks.forEach((diskSpec) => {
      const { kind: disk, properties, faults } = normalizeDisk(diskSpec);
      // An HBA whose targets the guest numbers as it finds them is told apart by order: its ids need only
      // differ on the HBA itself.
      const scope = hba.targetsInDiscoveryOrder ? `hba${hbaIndex}` : hba.guestDriver;
      const used = taken.get(scope) ?? new Set<number>();
      taken.set(scope, used);
      // Ids rise across the topology as far as each bus allows; a narrow bus (7 targets) late in a wide
      // topology takes the lowest id its driver has not given out.
      const free = hba.usableTargets.filter((candidate) => !used.has(candidate));
      const target = free.find((candidate) => candidate >= nextTarget) ?? free[0];
      if (target === undefined) throw new Error(`topology: ${hba.model} has no free target id left`);
      used.add(target);
      nextTarget = Math.max(nextTarget, target + 1);
      const pair = `${hba.model}:${disk}`;
      const occurrence = (seen.get(pair) ?? 0) + 1;
      seen.set(pair, occurrence);
      layouts.push({
        path: (occurrence === 1 ? pair : `${pair}#${occurrence}`) as PathId,
        hbaId: `hba${hbaIndex}`,
        hba,
        diskId: `disk${layouts.length}`,
        disk,
        properties,
        faults,
        target,
      });
    });
  });
  return layouts;
};
