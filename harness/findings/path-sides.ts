import { PathId } from '../qemu/topology';
import { withoutBuild } from '../execute/build';

/** A repeated pair (`#2`) is the same kind of path as the first. */
export const pathKind = (path: PathId): string => withoutBuild(path).replace(/#\d+$/, '');

const hbaOf = (kind: string): string => kind.split(':')[0];
/** The HBAs paths are on, as one name (`lsi53c895a+usb-bot`). */
export const hbasOf = (paths: readonly PathId[]): string => [...new Set(paths.map((path) => hbaOf(pathKind(path))))].sort().join('+');

/** The kind of disk of a path or path kind (`megasas:scsi-hd` → `scsi-hd`). */
export const diskOf = (kind: string): string => pathKind(kind as PathId).split(':')[1];

/**
 * Paths as one name: the HBAs and disks (`megasas+virtio-scsi:scsi-block+scsi-hd`) where they are every
 * combination of them, else each path (`megasas:scsi-hd,virtio-scsi:scsi-hd`).
 */
const pathsAxis = (paths: readonly PathId[]): string => {
  const kinds = [...new Set(paths.map(pathKind))].sort();
  const hbas = [...new Set(kinds.map(hbaOf))];
  const disks = [...new Set(kinds.map(diskOf))].sort();
  return kinds.length === hbas.length * disks.length ? `${hbas.join('+')}:${disks.join('+')}` : kinds.join(',');
};

/**
 * A group of paths named by what sets it apart from the others it was compared with: its disks
 * (`scsi-block`) where it holds every path with them, else its HBAs (`megasas`), else every path it holds.
 * So the same split is named the same whether a run had two paths or four.
 */
export const sideName = (group: readonly PathId[], compared: readonly PathId[]): string => {
  const kinds = new Set(group.map(pathKind));
  // A topology that repeats a pair (`virtio-scsi:scsi-hd#2`) may split it: then only the paths' own names tell the sides apart.
  if (compared.some((path) => !group.includes(path) && kinds.has(pathKind(path)))) return [...group].sort().join(',');
  const all = [...new Set(compared.map(pathKind))];
  if (all.every((kind) => kinds.has(kind))) return 'every path';
  const disks = new Set([...kinds].map(diskOf));
  if (all.filter((kind) => disks.has(diskOf(kind))).every((kind) => kinds.has(kind))) return [...disks].sort().join('+');
  const hbas = new Set([...kinds].map(hbaOf));
  if (all.filter((kind) => hbas.has(hbaOf(kind))).every((kind) => kinds.has(kind))) return [...hbas].sort().join('+');
  return pathsAxis(group);
};

