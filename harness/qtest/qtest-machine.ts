import type { HbaModel } from '../qemu/hba/registry';
import { AttachedPath, topologyArgs } from '../qemu/cmdline';
import type { MachineExit } from '../qemu/machine-exit';
import type { FrameDriver, FrameDriverFactory } from './frame-driver';
import { GuestMemory } from './guest-memory';
import { findPciDevices, PciDevice, PciFunction } from './pci';
import { PciBarWindows } from './pci-bar-windows';
import { QtestClient } from './qtest-client';

const memoryMiB = 512;
/** Below the first MiB are the BIOS areas and legacy holes; q35 with 512 MiB has all of it as low RAM. */
const ramWindow = { start: 1 << 20, end: memoryMiB << 20 };

/** QEMU's arguments for `paths` under qtest: q35 (whose 0xcf8/0xcfc the PCI code speaks), no kernel, the shared topology. */
export const qtestMachineArgs = (paths: readonly AttachedPath[]): string[] => ['-nodefaults', '-machine', 'q35', '-m', String(memoryMiB), ...topologyArgs(paths)];

export interface QtestMachineOptions {
  readonly qemu: string;
  readonly paths: readonly AttachedPath[];
  readonly recordTranscript?: boolean;
  /** More QEMU options: its trace, say. */
  readonly extraArgs?: readonly string[];
}

/**
 * QEMU under qtest with the HBAs and disks of some hbadiff paths, and what a frame driver is handed: the
 * qtest connection, guest memory and each HBA's PCI function.
 */
export class QtestMachine {
  private readonly windows = new PciBarWindows();

  private constructor(
    readonly qtest: QtestClient,
    readonly memory: GuestMemory,
    readonly paths: readonly AttachedPath[],
  ) {}

  static async start(options: QtestMachineOptions): Promise<QtestMachine> {
    const qtest = await QtestClient.launch({ qemu: options.qemu, args: [...qtestMachineArgs(options.paths), ...(options.extraArgs ?? [])], recordTranscript: options.recordTranscript });
    return new QtestMachine(qtest, new GuestMemory(qtest, ramWindow), options.paths);
  }

  /**
   * Brings up one driver for each HBA of the paths, keyed by its id (`hba0`…). QEMU gives PCI slots in
   * command-line order, so the n-th HBA of a model is the n-th function with that model's ids.
   */
  async drivers(factoryFor: (model: HbaModel) => FrameDriverFactory): Promise<Map<string, FrameDriver>> {
    const unclaimed = await findPciDevices(this.qtest);
    const drivers = new Map<string, FrameDriver>();
    for (const { layout } of this.paths) {
      if (drivers.has(layout.hbaId)) continue;
      const factory = factoryFor(layout.hba.model as HbaModel);
      const found = takeFunction(unclaimed, factory);
      if (!found) throw new Error(`qtest: ${layout.hbaId} (${layout.hba.qemuDevice}) has no PCI function ${ids(factory)} on bus 0`);
      const pci = await PciDevice.open(this.qtest, found, this.windows);
      drivers.set(layout.hbaId, await factory.init({ qtest: this.qtest, memory: this.memory, pci }));
    }
    return drivers;
  }

  stop(): Promise<MachineExit> {
    return this.qtest.close();
  }
}

const ids = ({ vendorId, deviceId }: { vendorId: number; deviceId: number }): string =>
  `${vendorId.toString(16).padStart(4, '0')}:${deviceId.toString(16).padStart(4, '0')}`;

/** Removes and returns the first function in `unclaimed` with the factory's ids. */
const takeFunction = (unclaimed: PciFunction[], factory: FrameDriverFactory): PciFunction | undefined => {
  const index = unclaimed.findIndex((found) => found.vendorId === factory.vendorId && found.deviceId === factory.deviceId);
  return index < 0 ? undefined : unclaimed.splice(index, 1)[0];
};
