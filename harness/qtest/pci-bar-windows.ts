/** Which address space a BAR decodes. */
export type BarSpace = 'memory' | 'io';

interface Window {
  next: number;
  readonly limit: number;
}

/**
 * Where BARs are placed, as libqos's pci-pc.c places them: memory from 0xE0000000 up to 4 GiB (above q35's and
 * pc's RAM and MMCONFIG, below the IOAPIC), I/O ports from 0xc000. Each BAR is aligned to its size; one
 * allocator serves every function of a machine.
 */
export class PciBarWindows {
  private readonly windows: Record<BarSpace, Window> = {
    memory: { next: 0xe000_0000, limit: 0xfec0_0000 },
    io: { next: 0xc000, limit: 0x1_0000 },
  };

  allocate(space: BarSpace, size: number): number {
    const window = this.windows[space];
    const address = Math.ceil(window.next / size) * size;
    if (address + size > window.limit) throw new Error(`PCI: no room for a ${size}-byte ${space} BAR below ${window.limit.toString(16)}`);
    window.next = address + size;
    return address;
  }
}
