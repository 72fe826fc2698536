import { BranchEvent, HbaTrace, ReceiveEvent } from './code-branch';
import { scsiCompleteEvent, scsiLayerBranches, scsiRequestEvents } from './scsi-layer-trace';

/** The events a session traces, and what each means: where commands begin, and the branches that decide answers. */
export interface TraceCatalog {
  readonly receive: ReadonlyMap<string, ReceiveEvent>;
  readonly branches: ReadonlyMap<string, BranchEvent>;
  /** Every event to enable: the above, the SCSI layer's request events and its completion. */
  readonly events: readonly string[];
}

/**
 * The catalog for the HBAs of a topology, less what this QEMU build does not have: a build whose trace
 * events were renamed or dropped traces fewer branches rather than refusing to start.
 */
export const traceCatalog = (hbas: readonly HbaTrace[], available: ReadonlySet<string>): TraceCatalog => {
  const receive = new Map(hbas.flatMap((hba) => hba.receive).filter((each) => available.has(each.event)).map((each) => [each.event, each]));
  const branches = new Map(
    [...hbas.flatMap((hba) => hba.branches), ...scsiLayerBranches].filter((each) => available.has(each.event)).map((each) => [each.event, each]),
  );
  const events = [...new Set([...receive.keys(), ...scsiRequestEvents, scsiCompleteEvent, ...branches.keys()])].filter((event) => available.has(event));
  return { receive, branches, events };
};
