import { open } from 'node:fs/promises';

/**
 * Names that only an instrumented binary's dynamic symbols hold: the ASan runtime's constructor, which every
 * ASan-instrumented object calls, and UBSan's handlers (imported from the shared runtime gcc links, exported
 * by the static one clang links).
 */
const sanitizerSymbols = ['__asan_init', '__ubsan_handle_'];

const elfHeaderBytes = 64;
const sectionTypeStringTable = 3;

const readAt = async (file: Awaited<ReturnType<typeof open>>, offset: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
};

/**
 * Whether the program at `path` was built with AddressSanitizer or UBSan: a 64-bit little-endian ELF whose
 * `.dynstr` names the sanitizer runtime. Only the headers and that section are read, not the whole binary
 * (an ASan QEMU is hundreds of megabytes with its debug information). Anything else (a script, such as the
 * trixie launcher) is not one.
 */
export const isSanitizerBuild = async (path: string): Promise<boolean> => {
  const file = await open(path, 'r');
  try {
    const header = await readAt(file, 0, elfHeaderBytes);
    if (header.length < elfHeaderBytes || header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return false;
    const tableOffset = Number(header.readBigUInt64LE(0x28));
    const entrySize = header.readUInt16LE(0x3a);
    const count = header.readUInt16LE(0x3c);
    const table = await readAt(file, tableOffset, entrySize * count);
    const section = (index: number) => {
      const at = index * entrySize;
      return { name: table.readUInt32LE(at), type: table.readUInt32LE(at + 4), offset: Number(table.readBigUInt64LE(at + 0x18)), size: Number(table.readBigUInt64LE(at + 0x20)) };
    };
    const names = section(header.readUInt16LE(0x3e));
    const nameTable = await readAt(file, names.offset, names.size);
    for (let index = 0; index < count; index++) {
      const each = section(index);
      if (each.type !== sectionTypeStringTable || nameTable.toString('latin1', each.name, nameTable.indexOf(0, each.name)) !== '.dynstr') continue;
      const strings = (await readAt(file, each.offset, each.size)).toString('latin1');
      return sanitizerSymbols.some((symbol) => strings.includes(symbol));
    }
    return false;
  } finally {
    await file.close();
  }
};
