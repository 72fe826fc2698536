import { Case } from '../case/case-types';
import { UserError } from '../errors/user-error';
import { isHbaModel } from '../qemu/hba/registry';
import { defaultTopology, DiskKind, layoutTopology, PathId, Topology } from '../qemu/topology';

/**
 * The guest a case needs: the default topology when it names only default paths (so that paths sharing an
 * HBA there share it here too), otherwise one HBA per named path.
 */
export const topologyFor = (testCase: Case): Topology => topologyOfPaths(testCase.paths, testCase.disk?.bytes ?? defaultTopology.diskBytes);

/** Whether a case runs on the default topology's HBAs (whatever its disks' size), not one HBA per path. */
export const onDefaultTopology = (testCase: Case): boolean => JSON.stringify(topologyFor(testCase).hbas) === JSON.stringify(defaultTopology.hbas);

/** The guest for these paths (absent: the default topology's), as a case naming them gets it. */
export const topologyOfPaths = (named: readonly PathId[] | undefined, diskBytes: number = defaultTopology.diskBytes): Topology => {
  const defaults = layoutTopology(defaultTopology).map((layout) => layout.path);
  const paths = named ?? defaults;
  if (paths.every((path) => defaults.includes(path))) return { ...defaultTopology, diskBytes };
  return { diskBytes, hbas: paths.map(hbaOfPath) };
};

/** A path's HBA with its one disk, as a topology of one HBA per path has it. */
const hbaOfPath = (path: PathId): Topology['hbas'][number] => {
  const [model, disk] = path.replace(/#\d+$/, '').split(':');
  if (!isHbaModel(model)) throw new UserError(`path ${path}: no HBA ${model}`);
  return { model, disks: [disk as DiskKind] };
};

/** A guest with this path alone: its HBA and its disk, nothing sharing either. */
export const topologyOfOnePath = (path: PathId, diskBytes: number = defaultTopology.diskBytes): Topology => ({ diskBytes, hbas: [hbaOfPath(path)] });
