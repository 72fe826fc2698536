import type { PciBar } from './pci-bar';
import type { PciDevice } from './pci';
import type { SplitVirtqueueLayout } from './split-virtqueue';

/** A vendor-specific PCI capability (struct virtio_pci_cap): which configuration structure, in which BAR, where. */
const vendorCapability = 0x09;
const capCfgType = 3;
const capBar = 4;
const capOffset = 8;
const notifyOffMultiplier = 16;

const structures = { common: 1, notify: 2, isr: 3, device: 4 } as const;
type Structure = keyof typeof structures;

/** struct virtio_pci_common_cfg's fields this driver uses, by offset. */
const common = {
  deviceFeatureSelect: 0,
  deviceFeature: 4,
  driverFeatureSelect: 8,
  driverFeature: 12,
  deviceStatus: 20,
  queueSelect: 22,
  queueSize: 24,
  queueEnable: 28,
  queueNotifyOff: 30,
  queueDesc: 32,
  queueDriver: 40,
  queueDevice: 48,
} as const;

/** Device status bits (virtio spec 2.1). */
export const virtioStatus = { acknowledge: 1, driver: 2, driverOk: 4, featuresOk: 8, needsReset: 64 } as const;

/** VIRTIO_F_VERSION_1: the device is a modern (1.0) device; a modern driver must accept it. */
export const virtioFVersion1 = 1n << 32n;

interface Region {
  readonly bar: PciBar;
  readonly offset: number;
}

/**
 * A virtio device through its modern PCI transport (virtio spec 4.1.4, QEMU's virtio-pci-modern): the common
 * configuration, the notification area and the device-specific configuration, each found by its capability.
 */
export class VirtioPciModern {
  private constructor(
    private readonly common: Region,
    private readonly notify: Region & { readonly multiplier: number },
    private readonly device: Region,
  ) {}

  static async open(pci: PciDevice): Promise<VirtioPciModern> {
    const found = new Map<Structure, Region & { readonly multiplier: number }>();
    for (const capability of await pci.capabilities()) {
      if (capability.id !== vendorCapability) continue;
      const type = await pci.configReadb(capability.offset + capCfgType);
      const structure = (Object.keys(structures) as Structure[]).find((name) => structures[name] === type);
      if (!structure || found.has(structure)) continue;
      const [bar, offset, multiplier] = await Promise.all([
        pci.configReadb(capability.offset + capBar),
        pci.configReadl(capability.offset + capOffset),
        structure === 'notify' ? pci.configReadl(capability.offset + notifyOffMultiplier) : Promise.resolve(0),
      ]);
      found.set(structure, { bar: pci.bar(bar), offset, multiplier });
    }
    const need = (structure: Structure): Region & { readonly multiplier: number } => {
      const region = found.get(structure);
      if (!region) throw new Error(`virtio-pci: the device at devfn 0x${pci.devfn.toString(16)} has no ${structure} configuration capability (not a modern virtio device?)`);
      return region;
    };
    return new VirtioPciModern(need('common'), need('notify'), need('device'));
  }

  async status(): Promise<number> {
    return this.common.bar.readb(this.common.offset + common.deviceStatus);
  }

  async setStatus(status: number): Promise<void> {
    await this.common.bar.writeb(this.common.offset + common.deviceStatus, status);
  }

  /** Writes 0 to the status; the device must read back 0 once reset (QEMU resets within the write). */
  async reset(): Promise<void> {
    await this.setStatus(0);
    const after = await this.status();
    if (after !== 0) throw new Error(`virtio-pci: the device still reads status 0x${after.toString(16)} after a reset`);
  }

  async deviceFeatures(): Promise<bigint> {
    const half = async (select: number): Promise<bigint> => {
      await this.common.bar.writel(this.common.offset + common.deviceFeatureSelect, select);
      return BigInt(await this.common.bar.readl(this.common.offset + common.deviceFeature));
    };
    return (await half(0)) | ((await half(1)) << 32n);
  }

  async setDriverFeatures(features: bigint): Promise<void> {
    for (const select of [0, 1]) {
      await this.common.bar.writel(this.common.offset + common.driverFeatureSelect, select);
      await this.common.bar.writel(this.common.offset + common.driverFeature, Number((features >> BigInt(32 * select)) & 0xffff_ffffn));
    }
  }

  /** The largest size queue `index` takes (0: no such queue). */
  async queueMaxSize(index: number): Promise<number> {
    await this.common.bar.writew(this.common.offset + common.queueSelect, index);
    return this.common.bar.readw(this.common.offset + common.queueSize);
  }

  /** Gives queue `index` its size and rings, and enables it; returns what tells the device the queue has new chains. */
  async enableQueue(index: number, layout: SplitVirtqueueLayout): Promise<() => Promise<void>> {
    const { bar, offset } = this.common;
    const writeAddress = (field: number, address: number): Promise<unknown> =>
      Promise.all([bar.writel(offset + field, address >>> 0), bar.writel(offset + field + 4, Math.floor(address / 2 ** 32))]);
    await bar.writew(offset + common.queueSelect, index);
    await Promise.all([
      bar.writew(offset + common.queueSize, layout.size),
      writeAddress(common.queueDesc, layout.descriptorTable),
      writeAddress(common.queueDriver, layout.availRing),
      writeAddress(common.queueDevice, layout.usedRing),
    ]);
    const notifyOff = await bar.readw(offset + common.queueNotifyOff);
    await bar.writew(offset + common.queueEnable, 1);
    const { bar: notifyBar, offset: notifyOffset, multiplier } = this.notify;
    return () => notifyBar.writew(notifyOffset + notifyOff * multiplier, index);
  }

  async deviceConfigReadl(offset: number): Promise<number> {
    return this.device.bar.readl(this.device.offset + offset);
  }
}
