import type { QtestClient } from './qtest-client';

/** The PC's configuration mechanism #1: an address written to 0xcf8 selects the dword 0xcfc then reads or writes. */
const configAddressPort = 0xcf8;
const configDataPort = 0xcfc;
const configEnable = 0x8000_0000;

/** Bytes of one configuration-space access. */
export type ConfigWidth = 1 | 2 | 4;

const selector = (devfn: number, offset: number): number => (configEnable | (devfn << 8) | (offset & 0xfc)) >>> 0;

/**
 * Configuration-space access to one function on bus 0 through 0xcf8/0xcfc, as libqos's pci-pc.c does. The
 * address write and the data access are sent together, so accesses issued without awaiting stay paired.
 */
export class PciConfigSpace {
  constructor(
    private readonly qtest: QtestClient,
    readonly devfn: number,
  ) {}

  async read(width: ConfigWidth, offset: number): Promise<number> {
    const port = configDataPort + (offset & 3);
    const [, value] = await Promise.all([
      this.qtest.outl(configAddressPort, selector(this.devfn, offset)),
      width === 1 ? this.qtest.inb(port) : width === 2 ? this.qtest.inw(port) : this.qtest.inl(port),
    ]);
    return value;
  }

  async write(width: ConfigWidth, offset: number, value: number): Promise<void> {
    const port = configDataPort + (offset & 3);
    await Promise.all([
      this.qtest.outl(configAddressPort, selector(this.devfn, offset)),
      width === 1 ? this.qtest.outb(port, value & 0xff) : width === 2 ? this.qtest.outw(port, value & 0xffff) : this.qtest.outl(port, value >>> 0),
    ]);
  }
}

/** A function present on bus 0. */
export interface PciFunction {
  readonly devfn: number;
  readonly vendorId: number;
  readonly deviceId: number;
}

const slotsTimesFunctions = 256;
const absentVendor = 0xffff;

/** Every function on bus 0, in devfn order (all 256 vendor-id reads go out at once). */
export const findPciDevices = async (qtest: QtestClient): Promise<PciFunction[]> => {
  const ids = await Promise.all(Array.from({ length: slotsTimesFunctions }, (_, devfn) => new PciConfigSpace(qtest, devfn).read(4, 0)));
  return ids.flatMap((id, devfn) => ((id & 0xffff) === absentVendor ? [] : [{ devfn, vendorId: id & 0xffff, deviceId: id >>> 16 }]));
};
