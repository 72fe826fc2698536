import { join } from 'node:path';
import { GuestImage, imageKernelArgs } from '../guest/image';
import { QemuBinary } from '../qemu/binary';
import { Accelerator, AttachedPath, MachineSpec } from '../qemu/cmdline';
import { guestKernelArgs } from '../qemu/kernel-args';

export interface GuestMachineInputs {
  readonly qemu: QemuBinary;
  readonly image: GuestImage;
  readonly accelerator: Accelerator;
  /** A private directory for the QMP socket (and a sanitizer build's report). */
  readonly workDir: string;
  readonly paths?: readonly AttachedPath[];
  readonly memoryMiB?: number;
  readonly extraQemuArgs?: readonly string[];
  readonly extraKernelArgs?: readonly string[];
  /** Default: the virtio-serial port; `console` keeps the agent on the serial console (the bench compares both). */
  readonly agentChannel?: AgentChannelKind;
}

type AgentChannelKind = 'virtio-serial' | 'console';

/** The port's name, by which the guest's init finds its /dev/vportNpM. */
const agentPortName = 'org.hbadiff.agent';

export const defaultGuestMemoryMiB = 256;

/** The machine that boots a built guest image with the given paths attached. */
export const guestMachineSpec = (inputs: GuestMachineInputs): MachineSpec => {
  const onPort = (inputs.agentChannel ?? 'virtio-serial') === 'virtio-serial';
  return {
    qemu: inputs.qemu,
    accelerator: inputs.accelerator,
    kernel: inputs.image.kernel,
    initrd: inputs.image.initrd,
    kernelArgs: guestKernelArgs(inputs.accelerator, [
      ...imageKernelArgs(inputs.image),
      ...(onPort ? [`hbadiff.port=${agentPortName}`] : []),
      ...(inputs.extraKernelArgs ?? []),
    ]),
    memoryMiB: inputs.memoryMiB ?? defaultGuestMemoryMiB,
    qmpSocket: join(inputs.workDir, 'qmp.sock'),
    paths: inputs.paths ?? [],
    ...(onPort && { agentPort: { name: agentPortName, socket: join(inputs.workDir, 'agent.sock') } }),
    extraArgs: inputs.extraQemuArgs ?? [],
    ...(inputs.qemu.sanitized && { sanitizerLog: join(inputs.workDir, 'sanitizer') }),
  };
};
