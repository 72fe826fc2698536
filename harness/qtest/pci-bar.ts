import type { BarSpace } from './pci-bar-windows';
import type { QtestClient } from './qtest-client';

/**
 * One assigned BAR of a function: where it is, and register access at an offset into it through the port or
 * memory access its space needs, so a driver reads its registers alike whichever BAR holds them.
 */
export class PciBar {
  constructor(
    private readonly qtest: QtestClient,
    readonly index: number,
    readonly space: BarSpace,
    readonly address: number,
    readonly size: number,
  ) {}

  readb(offset: number): Promise<number> {
    return this.space === 'io' ? this.qtest.inb(this.address + offset) : this.qtest.readb(this.address + offset);
  }

  readw(offset: number): Promise<number> {
    return this.space === 'io' ? this.qtest.inw(this.address + offset) : this.qtest.readw(this.address + offset);
  }

  readl(offset: number): Promise<number> {
    return this.space === 'io' ? this.qtest.inl(this.address + offset) : this.qtest.readl(this.address + offset);
  }

  writeb(offset: number, value: number): Promise<void> {
    return this.space === 'io' ? this.qtest.outb(this.address + offset, value) : this.qtest.writeb(this.address + offset, value);
  }

  writew(offset: number, value: number): Promise<void> {
    return this.space === 'io' ? this.qtest.outw(this.address + offset, value) : this.qtest.writew(this.address + offset, value);
  }

  writel(offset: number, value: number): Promise<void> {
    return this.space === 'io' ? this.qtest.outl(this.address + offset, value) : this.qtest.writel(this.address + offset, value);
  }
}
