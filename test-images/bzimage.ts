import fs from 'node:fs';
import { SetupError } from './errors';
import { hasPvhEntryNote } from './elf';
import { run } from './tools';

// Offsets in the x86 boot protocol's setup header (Documentation/arch/x86/boot.rst).
const setupSectorsOffset = 0x1f1;
const headerMagicOffset = 0x202;
const protocolVersionOffset = 0x206;
const kernelVersionPointerOffset = 0x20e;
const payloadOffsetOffset = 0x248;
const payloadLengthOffset = 0x24c;
const firstProtocolWithPayloadFields = 0x208;
const xzMagic = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

export function isBzImage(image: Buffer): boolean {
  return image.length > payloadLengthOffset + 4 && image.toString('latin1', headerMagicOffset, headerMagicOffset + 4) === 'HdrS';
}

/** The release (uname -r) from the version string the setup header points at. */
export function bzImageKernelRelease(image: Buffer): string {
  const versionString = image.readUInt16LE(kernelVersionPointerOffset) + 0x200;
  return image.toString('latin1', versionString, image.indexOf(0, versionString)).split(' ')[0];
}

/**
 * Writes the ELF vmlinux inside a bzImage whose payload is xz-compressed (Debian's), and checks
 * that it can boot by PVH: QEMU boots such an ELF about twice as fast as the bzImage under TCG.
 */
export function extractPvhElf(bzImagePath: string, outFile: string): void {
  const image = fs.readFileSync(bzImagePath);
  if (!isBzImage(image) || image.readUInt16LE(protocolVersionOffset) < firstProtocolWithPayloadFields) {
    throw new SetupError(`${bzImagePath}: not a bzImage of boot protocol 2.08 or later`);
  }
  const setupSectors = image[setupSectorsOffset] || 4;
  const payloadStart = (setupSectors + 1) * 512 + image.readUInt32LE(payloadOffsetOffset);
  const payload = image.subarray(payloadStart, payloadStart + image.readUInt32LE(payloadLengthOffset));
  if (!payload.subarray(0, xzMagic.length).equals(xzMagic)) {
    throw new SetupError(`${bzImagePath}: the payload is not xz-compressed`);
  }
  const out = fs.openSync(outFile, 'w');
  try {
    // --single-stream: the payload ends with the decompressed size, which xz would take for a second stream.
    run('xz', ['--decompress', '--stdout', '--single-stream'], { input: payload, stdoutFd: out });
  } finally {
    fs.closeSync(out);
  }
  if (!hasPvhEntryNote(fs.readFileSync(outFile))) {
    throw new SetupError(`${bzImagePath}: its payload is not an ELF kernel with a PVH entry note (CONFIG_PVH)`);
  }
}
