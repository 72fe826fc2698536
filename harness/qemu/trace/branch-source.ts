import { hbaDrivers } from '../hba/registry';
import { scsiLayerBranches, scsiLayerSources } from './scsi-layer-trace';

/**
 * The source file of a branch, by its trace event (`megasas_iovec_sgl_overflow` → `hw/scsi/megasas.c`), or
 * undefined for a branch that is not QEMU's (the guest's driver answering on its own).
 */
export const branchSource = (event: string): string | undefined => {
  const hba = hbaDrivers.find((driver) => driver.trace.branches.some((branch) => branch.event === event));
  if (hba) return hba.trace.source;
  if (!scsiLayerBranches.some((branch) => branch.event === event)) return undefined;
  return scsiLayerSources.find((each) => event.startsWith(each.prefix))?.source;
};
