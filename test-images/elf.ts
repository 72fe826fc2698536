const elfMagic = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const elfClass64 = 2;
const elfLittleEndian = 1;
const programHeaderTypeInterpreter = 3;
const programHeaderTypeNote = 4;
/** XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit entry point a PVH boot jumps to (kernel CONFIG_PVH). */
const xenNotePhys32Entry = 18;

export function isElf(image: Buffer): boolean {
  return image.subarray(0, 4).equals(elfMagic);
}

/** Whether a 64-bit little-endian ELF kernel carries the PVH entry note QEMU boots it by. */
export function hasPvhEntryNote(image: Buffer): boolean {
  return programHeaders(image).some(
    (header) =>
      header.type === programHeaderTypeNote &&
      notesContainXenPhys32Entry(image.subarray(header.offset, header.offset + header.size)),
  );
}

/** Whether a 64-bit ELF executable runs without a dynamic loader. */
export function isStaticElf(image: Buffer): boolean {
  return isElf64(image) && !programHeaders(image).some((header) => header.type === programHeaderTypeInterpreter);
}

function isElf64(image: Buffer): boolean {
  return isElf(image) && image[4] === elfClass64 && image[5] === elfLittleEndian;
}

function programHeaders(image: Buffer): Array<{ type: number; offset: number; size: number }> {
  if (!isElf64(image)) return [];
  const tableOffset = Number(image.readBigUInt64LE(0x20));
  const entrySize = image.readUInt16LE(0x36);
  const count = image.readUInt16LE(0x38);
  return Array.from({ length: count }, (_, index) => {
    const header = tableOffset + index * entrySize;
    return {
      type: image.readUInt32LE(header),
      offset: Number(image.readBigUInt64LE(header + 0x08)),
      size: Number(image.readBigUInt64LE(header + 0x20)),
    };
  });
}

function notesContainXenPhys32Entry(notes: Buffer): boolean {
  const align4 = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 12 <= notes.length; ) {
    const nameSize = notes.readUInt32LE(at);
    const descriptionSize = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const name = notes.toString('latin1', at + 12, at + 12 + nameSize);
    if (name === 'Xen\0' && type === xenNotePhys32Entry) return true;
    at += 12 + align4(nameSize) + align4(descriptionSize);
  }
  return false;
}

/** The release (uname -r) from the "Linux version <release> ..." banner in an uncompressed kernel. */
export function elfKernelRelease(image: Buffer): string | undefined {
  const banner = image.indexOf('Linux version ');
  if (banner < 0) return undefined;
  const start = banner + 'Linux version '.length;
  return image.toString('latin1', start, image.indexOf(' ', start));
}
