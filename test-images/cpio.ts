import type { InitramfsEntry } from './initramfs-tree';

// Type bits of st_mode.
const fileTypeBits = {
  directory: 0o040000,
  file: 0o100000,
  symlink: 0o120000,
  characterDevice: 0o020000,
} as const;

/**
 * Serializes entries as a "newc" cpio archive, the format the kernel unpacks an initramfs from.
 * Owners are root and times zero, so equal entries give equal bytes.
 */
export function newcArchive(entries: ReadonlyArray<[string, InitramfsEntry]>): Buffer {
  const parts: Buffer[] = [];
  entries.forEach(([name, entry], index) => {
    const data = entryData(entry);
    const isCharacterDevice = entry.kind === 'characterDevice';
    parts.push(
      header({
        inode: index + 1,
        mode: fileTypeBits[entry.kind] | (entry.kind === 'symlink' ? 0o777 : entry.mode),
        links: entry.kind === 'directory' ? 2 : 1,
        size: data.length,
        deviceMajor: isCharacterDevice ? entry.major : 0,
        deviceMinor: isCharacterDevice ? entry.minor : 0,
        name,
      }),
      data,
      padding(data.length),
    );
  });
  parts.push(header({ inode: 0, mode: 0, links: 1, size: 0, deviceMajor: 0, deviceMinor: 0, name: 'TRAILER!!!' }));
  return Buffer.concat(parts);
}

function entryData(entry: InitramfsEntry): Buffer {
  if (entry.kind === 'file') return entry.data;
  if (entry.kind === 'symlink') return Buffer.from(entry.target);
  return Buffer.alloc(0);
}

interface HeaderFields {
  inode: number;
  mode: number;
  links: number;
  size: number;
  deviceMajor: number;
  deviceMinor: number;
  name: string;
}

const headerLength = 110;

function header(fields: HeaderFields): Buffer {
  const name = Buffer.from(`${fields.name}\0`);
  const numbers = [
    fields.inode,
    fields.mode,
    0, // uid
    0, // gid
    fields.links,
    0, // mtime
    fields.size,
    0, // major of the device holding the file
    0, // minor of the device holding the file
    fields.deviceMajor,
    fields.deviceMinor,
    name.length,
    0, // checksum, unused by newc
  ];
  const text = `070701${numbers.map((n) => n.toString(16).padStart(8, '0')).join('')}`;
  return Buffer.concat([Buffer.from(text, 'latin1'), name, padding(headerLength + name.length)]);
}

/** newc aligns each header-and-name and each file's data to 4 bytes. */
function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}
