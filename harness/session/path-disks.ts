import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writingTo } from '../errors/environment-fault';
import { TgtdServer } from '../iscsi/tgtd';
import { CleanupStack } from '../process/cleanup-stack';
import { AttachedPath, DiskBacking } from '../qemu/cmdline';
import { PathLayout } from '../qemu/topology';
import { initialDiskContent } from './disk-content';

/** The host file behind a path's disk (served by tgtd for scsi-block): what the disk really holds. */
export const backingFileOf = (workDir: string, layout: PathLayout): string => join(workDir, `${layout.diskId}.raw`);

/**
 * Each path's disk, whatever carries commands to it: a file of the initial content, and for scsi-block that
 * file as a LUN of one tgtd started for them all (stopped by `cleanup`).
 */
export const makePathDisks = async (
  layouts: readonly PathLayout[],
  diskBytes: number,
  workDir: string,
  cleanup: CleanupStack,
): Promise<{ attached: AttachedPath[]; tgtd: TgtdServer | undefined }> => {
  const content = initialDiskContent(diskBytes);
  let tgtd: TgtdServer | undefined;
  const attached: AttachedPath[] = [];
  for (const layout of layouts) {
    const file = backingFileOf(workDir, layout);
    await writingTo(file, () => writeFile(file, content));
    let backing: DiskBacking = { kind: 'file', path: file };
    if (layout.disk === 'scsi-block') {
      if (!tgtd) {
        const server = await TgtdServer.start();
        cleanup.push(() => server.stop());
        tgtd = server;
      }
      backing = { kind: 'iscsi', lun: await tgtd.addLun(file) };
    }
    attached.push({ layout, backing });
  }
  return { attached, tgtd };
};
