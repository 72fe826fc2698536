import { PciBar } from './pci-bar';
import { PciBarWindows } from './pci-bar-windows';
import { PciConfigSpace, PciFunction } from './pci-config';
import type { QtestClient } from './qtest-client';

export { findPciDevices } from './pci-config';
export type { PciFunction } from './pci-config';

/** Configuration-space registers of a type 0 header this code uses. */
const commandRegister = 0x04;
const statusRegister = 0x06;
const firstBarRegister = 0x10;
const capabilitiesPointer = 0x34;
const barCount = 6;

const commandIo = 1 << 0;
const commandMemory = 1 << 1;
const commandBusMaster = 1 << 2;
const statusCapabilityList = 1 << 4;

const barIsIo = 1;
const barIs64Bit = 0x4;
const ioBarMask = 0xffff_fffc;
const memoryBarMask = 0xffff_fff0;

/** One entry of the capability list: its id (0x09 vendor-specific, 0x11 MSI-X…) and where it sits in config space. */
export interface PciCapability {
  readonly id: number;
  readonly offset: number;
}

/** A function on bus 0, its BARs sized and placed and its decoding and bus mastering on. */
export class PciDevice {
  private constructor(
    private readonly config: PciConfigSpace,
    readonly vendorId: number,
    readonly deviceId: number,
    private readonly bars: ReadonlyMap<number, PciBar>,
  ) {}

  /** Sizes every BAR as libqos does (all ones written, the mask read back), places each from `windows`, and enables the function. */
  static async open(qtest: QtestClient, found: PciFunction, windows: PciBarWindows): Promise<PciDevice> {
    const config = new PciConfigSpace(qtest, found.devfn);
    const bars = new Map<number, PciBar>();
    for (let index = 0; index < barCount; index++) {
      const register = firstBarRegister + 4 * index;
      await config.write(4, register, 0xffff_ffff);
      const probed = await config.read(4, register);
      if (probed === 0) continue;
      if (probed & barIsIo) {
        const size = (~(probed & ioBarMask) + 1) & 0xffff;
        const address = windows.allocate('io', size);
        await config.write(4, register, address);
        bars.set(index, new PciBar(qtest, index, 'io', address, size));
        continue;
      }
      const wide = (probed & barIs64Bit) !== 0;
      if (wide) await config.write(4, register + 4, 0xffff_ffff);
      const high = wide ? await config.read(4, register + 4) : 0xffff_ffff;
      const mask = (BigInt(high) << 32n) | BigInt((probed & memoryBarMask) >>> 0);
      const size = Number((~mask + 1n) & 0xffff_ffff_ffff_ffffn);
      const address = windows.allocate('memory', size);
      await config.write(4, register, address);
      if (wide) await config.write(4, register + 4, 0);
      bars.set(index, new PciBar(qtest, index, 'memory', address, size));
      if (wide) index++;
    }
    const command = await config.read(2, commandRegister);
    await config.write(2, commandRegister, command | commandIo | commandMemory | commandBusMaster);
    return new PciDevice(config, found.vendorId, found.deviceId, bars);
  }

  get devfn(): number {
    return this.config.devfn;
  }

  /** BAR `index`; throws if the function does not implement it (a driver's bug, or a device it does not know). */
  bar(index: number): PciBar {
    const bar = this.bars.get(index);
    if (!bar) throw new Error(`PCI ${this.name}: no BAR ${index} (it has ${[...this.bars.keys()].join(', ') || 'none'})`);
    return bar;
  }

  barAddress(index: number): number {
    return this.bar(index).address;
  }

  configReadb(offset: number): Promise<number> {
    return this.config.read(1, offset);
  }

  configReadw(offset: number): Promise<number> {
    return this.config.read(2, offset);
  }

  configReadl(offset: number): Promise<number> {
    return this.config.read(4, offset);
  }

  configWriteb(offset: number, value: number): Promise<void> {
    return this.config.write(1, offset, value);
  }

  configWritew(offset: number, value: number): Promise<void> {
    return this.config.write(2, offset, value);
  }

  configWritel(offset: number, value: number): Promise<void> {
    return this.config.write(4, offset, value);
  }

  /** The capability list in order; a loop in it (a device's bug) ends the walk at the first repeat. */
  async capabilities(): Promise<PciCapability[]> {
    if (!((await this.config.read(2, statusRegister)) & statusCapabilityList)) return [];
    const found: PciCapability[] = [];
    const seen = new Set<number>();
    for (let offset = (await this.config.read(1, capabilitiesPointer)) & 0xfc; offset !== 0 && !seen.has(offset); ) {
      seen.add(offset);
      const header = await this.config.read(2, offset);
      found.push({ id: header & 0xff, offset });
      offset = (header >> 8) & 0xfc;
    }
    return found;
  }

  private get name(): string {
    return `${this.vendorId.toString(16).padStart(4, '0')}:${this.deviceId.toString(16).padStart(4, '0')} at devfn 0x${this.devfn.toString(16)}`;
  }
}
