import { IscsiLun } from '../iscsi/tgtd';
import { QemuBinary } from './binary';
import { blkdebugNodeOptions } from './blkdebug';
import { PathLayout } from './topology';

/** What a path's disk is backed by once the harness has made it. */
/** `zeroes`: QEMU's null-co driver, which reads zeroes and keeps nothing: a disk a standalone reproducer can carry. */
export type DiskBacking =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'iscsi'; readonly lun: IscsiLun }
  | { readonly kind: 'zeroes'; readonly bytes: number };

export type Accelerator = 'kvm' | 'tcg';

export interface AttachedPath {
  readonly layout: PathLayout;
  readonly backing: DiskBacking;
}

/** Everything a QEMU command line is made of; the function below only spells it. */
export interface MachineSpec {
  readonly qemu: QemuBinary;
  readonly accelerator: Accelerator;
  readonly kernel: string;
  readonly initrd: string;
  readonly kernelArgs: readonly string[];
  readonly memoryMiB: number;
  readonly qmpSocket: string;
  readonly paths: readonly AttachedPath[];
  /** The agent's fast channel: a virtio-serial port of this name on a chardev socket QEMU listens on; without it, the serial console. */
  readonly agentPort?: AgentPort;
  readonly extraArgs: readonly string[];
  /** For a sanitizer build: where its report goes (`log_path`; the sanitizer adds `.<pid>`). */
  readonly sanitizerLog?: string;
}

interface AgentPort {
  readonly name: string;
  readonly socket: string;
}

/** QEMU's option syntax doubles a comma that belongs to a value. */
export const escapeValue = (value: string | number): string => String(value).replace(/,/g, ',,');

const options = (fields: Record<string, string | number>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${key}=${escapeValue(value)}`)
    .join(',');

/** The node name of a disk's host file, below its raw node (and below its blkdebug node, where it has one). */
export const fileNodeOf = (diskId: string): string => `${diskId}-file`;

const blockdevArgs = ({ layout, backing }: AttachedPath): string[] => {
  if (backing.kind === 'zeroes') {
    if (layout.faults.length > 0) throw new Error(`${layout.path}: blkdebug faults need a disk on a file, not one of zeroes`);
    return ['-blockdev', options({ driver: 'null-co', 'read-zeroes': 'on', size: backing.bytes, 'node-name': layout.diskId })];
  }
  if (backing.kind === 'file') {
    const fileNode = fileNodeOf(layout.diskId);
    const faulted = layout.faults.length > 0 ? blkdebugNodeOptions(layout.diskId, fileNode, layout.faults) : undefined;
    return [
      '-blockdev', options({ driver: 'file', filename: backing.path, 'node-name': fileNode }),
      ...(faulted ? ['-blockdev', options(faulted)] : []),
      '-blockdev', options({ driver: 'raw', file: faulted ? String(faulted['node-name']) : fileNode, 'node-name': layout.diskId }),
    ];
  }
  if (layout.faults.length > 0) throw new Error(`${layout.path}: blkdebug faults need a disk on a file, not a passthrough LUN`);
  const { lun } = backing;
  return [
    '-blockdev',
    options({
      driver: 'iscsi',
      transport: 'tcp',
      portal: lun.portal,
      target: lun.iqn,
      lun: lun.lun,
      'initiator-name': lun.initiatorName,
      'node-name': layout.diskId,
    }),
  ];
};

/**
 * microvm boots a PVH kernel fastest and still offers PCIe for the HBAs, but its PCIe host bridge has no I/O
 * port window: a topology with an HBA whose driver maps an I/O BAR boots q35 (PVH too, through its option
 * ROM: about 4 s more under TCG). `pc` where a build has neither.
 */
const machineArgs = (qemu: QemuBinary, paths: readonly AttachedPath[]): string[] => {
  if (qemu.machines.has('microvm') && !paths.some(({ layout }) => layout.hba.needsIoPorts)) return ['-machine', 'microvm,pcie=on,rtc=on'];
  return ['-machine', qemu.machines.has('q35') ? 'q35' : 'pc'];
};

const iothreadOf = (hbaId: string): string => `${hbaId}-iothread`;

/**
 * The controllers, HBAs, block nodes and disks of `paths`, in the order QEMU gives PCI slots: the guest's
 * command line and the qtest machine's both take them from here.
 */
export const topologyArgs = (paths: readonly AttachedPath[]): string[] => {
  const hbas = new Map<string, PathLayout>();
  for (const { layout } of paths) if (!hbas.has(layout.hbaId)) hbas.set(layout.hbaId, layout);
  return [
    ...[...new Map([...hbas.values()].flatMap(({ hba }) => (hba.controller ? [[hba.controller.id, hba.controller] as const] : []))).values()].flatMap((controller) => [
      '-device',
      options({ driver: controller.qemuDevice, id: controller.id }),
    ]),
    ...[...hbas.values()].flatMap((layout) => [
      ...(layout.hba.iothread ? ['-object', options({ 'qom-type': 'iothread', id: iothreadOf(layout.hbaId) })] : []),
      '-device',
      options({
        driver: layout.hba.qemuDevice,
        id: layout.hbaId,
        ...(layout.hba.controller && { bus: layout.hba.controller.bus }),
        ...(layout.hba.iothread && { iothread: iothreadOf(layout.hbaId) }),
      }),
    ]),
    ...paths.flatMap((path) => [...blockdevArgs(path), '-device', diskDeviceOptions(path.layout)]),
  ];
};

/** The id of a path's disk device, for QMP's device_del. */
export const diskDeviceId = (layout: PathLayout): string => `${layout.diskId}-dev`;

/** A path's disk device as `-device` takes it, and HMP's device_add for a hot-plug of the same disk. */
export const diskDeviceOptions = (layout: PathLayout): string =>
  options({
    driver: layout.disk,
    drive: layout.diskId,
    id: diskDeviceId(layout),
    ...layout.hba.diskProperties(layout.hbaId, layout.target, layout.disk),
    ...layout.properties,
  });

export const qemuArgs = (spec: MachineSpec): string[] => [
  '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
  ...machineArgs(spec.qemu, spec.paths),
  '-accel', spec.accelerator,
  ...(spec.accelerator === 'kvm' ? ['-cpu', 'host'] : []),
  '-smp', '1',
  '-m', String(spec.memoryMiB),
  '-chardev', 'stdio,id=console,signal=off',
  '-serial', 'chardev:console',
  '-qmp', `unix:${escapeValue(spec.qmpSocket)},server=on,wait=off`,
  ...(spec.agentPort
    ? [
        '-device', 'virtio-serial-pci,id=agent-serial,max_ports=2',
        '-chardev', `socket,id=agent,path=${escapeValue(spec.agentPort.socket)},server=on,wait=off`,
        '-device', options({ driver: 'virtserialport', bus: 'agent-serial.0', chardev: 'agent', name: spec.agentPort.name }),
      ]
    : []),
  '-kernel', spec.kernel,
  '-initrd', spec.initrd,
  '-append', spec.kernelArgs.join(' '),
  ...topologyArgs(spec.paths),
  ...spec.extraArgs,
];
