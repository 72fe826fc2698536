import { join } from 'node:path';
import { GuestImage, imageKernelArgs } from '../guest/image';
import { QemuBinary } from '../qemu/binary';
import { Accelerator, AttachedPath, MachineSpec } from '../qemu/cmdline';
import { guestKernelArgs } from '../qemu/kernel-args';

export interface GuestMachineInputs {
  readonly qemu: QemuBinary;
  readonly image: GuestImage;
  readonly accelerator: Accelerator;
  /** A private directory for the QMP socket. */
  readonly workDir: string;
  readonly paths?: readonly AttachedPath[];
  readonly memoryMiB?: number;
  readonly extraQemuArgs?: readonly string[];
  readonly extraKernelArgs?: readonly string[];
}

export const defaultGuestMemoryMiB = 256;

/** The machine that boots a built guest image with the given paths attached. */
export const guestMachineSpec = (inputs: GuestMachineInputs): MachineSpec => ({
  qemu: inputs.qemu,
  accelerator: inputs.accelerator,
  kernel: inputs.image.kernel,
  initrd: inputs.image.initrd,
  kernelArgs: guestKernelArgs(inputs.accelerator, [...imageKernelArgs(inputs.image), ...(inputs.extraKernelArgs ?? [])]),
  memoryMiB: inputs.memoryMiB ?? defaultGuestMemoryMiB,
  qmpSocket: join(inputs.workDir, 'qmp.sock'),
  paths: inputs.paths ?? [],
  extraArgs: inputs.extraQemuArgs ?? [],
});
