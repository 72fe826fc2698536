import { GuestSession } from '../harness/session/guest-session';
import { pathsOfHbas } from '../harness/qemu/hba/hba-selection';
import { probeQemu, locateQemu } from '../harness/qemu/binary';
import { defaultTopology, Topology } from '../harness/qemu/topology';
import { topologyOfPaths } from '../harness/session/case-topology';
import { findGuestImage } from '../harness/guest/image';
import { Measurement, measure } from './measurement';

const measureBootOf = (what: string, topology: Topology, boots: number): Promise<Measurement> =>
  measure(`boot to ready (spawn to the agent hello), ${what}`, 'ms', boots, async (run) => {
    const session = await GuestSession.start({ topology });
    console.error(`boot ${run + 1}/${boots} (${what}): ${(session.bootMs / 1000).toFixed(2)} s to hello`);
    await session.stop();
    return session.bootMs;
  });

/** Spawn to the agent's hello, boots one after the other: the default topology. */
export const measureBoot = (boots: number): Promise<Measurement> => measureBootOf('default topology', defaultTopology, boots);

/** The same with `--hbas all --disks scsi-hd`: every HBA this QEMU and guest have, on q35 where one needs I/O ports. */
export const measureBootAllHbas = async (boots: number): Promise<Measurement> => {
  const paths = pathsOfHbas('all', 'scsi-hd', await probeQemu(locateQemu(undefined)), findGuestImage(), () => undefined);
  return measureBootOf(`--hbas all --disks scsi-hd (${paths.length} HBAs)`, topologyOfPaths(paths), boots);
};
