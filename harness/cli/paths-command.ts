import { GuestPath, GuestSession } from '../session/guest-session';
import { AcceleratorChoice } from '../session/accelerator';
import { findGuestImage } from '../guest/image';
import { locateQemu, probeQemu } from '../qemu/binary';
import { pathsOfHbas } from '../qemu/hba/hba-selection';
import { Topology } from '../qemu/topology';
import { topologyOfPaths } from '../session/case-topology';
import { stopOnSignals } from './stop-on-signals';
import { inquiry, readCapacity10, testUnitReady } from '../scsi/opcodes';
import { decodeStandardInquiry } from '../scsi/inquiry';
import { blockCount, decodeReadCapacity10 } from '../scsi/read-capacity';
import { dataIn, describeOutcome } from '../scsi/outcome';
import { sgIoAnswer } from '../guest/sg-io-delivery';
import { ScsiStatus } from '../scsi/status';

const inquiryLength = 96;

/** What `npm start` shows for now: each path, the device the guest sees there, and its first answers. */
const describePath = async (session: GuestSession, path: GuestPath): Promise<string[]> => {
  const [unitReady, standard, capacity] = await session.exec(path, [
    { cdb: testUnitReady(), direction: 'none', length: 0 },
    { cdb: inquiry({ allocationLength: inquiryLength }), direction: 'from-device', length: inquiryLength },
    { cdb: readCapacity10(), direction: 'from-device', length: 8 },
  ]);
  const { device } = path;
  const lines = [
    `${path.id}: ${device.sgNode}${device.blockNode ? ` (${device.blockNode})` : ''} at ${device.host}:${device.channel}:${device.target}:${device.lun}, guest driver ${device.driver}`,
    `  TEST UNIT READY: ${describeOutcome(sgIoAnswer(unitReady))}`,
  ];
  if (standard.status === ScsiStatus.good) {
    const decoded = decodeStandardInquiry(dataIn(standard, inquiryLength));
    lines.push(
      `  INQUIRY: ${describeOutcome(sgIoAnswer(standard))}; "${decoded.vendor}" "${decoded.product}" "${decoded.revision}", type ${decoded.peripheralDeviceType}, version 0x${decoded.version.toString(16)}`,
    );
  } else lines.push(`  INQUIRY: ${describeOutcome(sgIoAnswer(standard))}`);
  if (capacity.status === ScsiStatus.good) {
    const decoded = decodeReadCapacity10(dataIn(capacity, 8));
    lines.push(
      `  READ CAPACITY (10): ${describeOutcome(sgIoAnswer(capacity))}; ${blockCount(decoded)} blocks of ${decoded.blockLength} bytes`,
    );
  } else lines.push(`  READ CAPACITY (10): ${describeOutcome(sgIoAnswer(capacity))}`);
  return lines;
};

const showPaths = async (session: GuestSession): Promise<string[]> => {
  const header = [
    `QEMU ${session.qemu.version} (${session.qemu.path}), ${session.accelerator.toUpperCase()}, guest kernel ${session.image.kernelRelease}, booted in ${(session.bootMs / 1000).toFixed(2)} s`,
  ];
  const perPath = await Promise.all(session.paths.map((path) => describePath(session, path)));
  const missing = session.missing.map((each) => `${each.path}: missing: ${each.detail}`);
  return [...header, ...perPath.flat(), ...missing];
};

export interface PathsOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly hbas?: string;
  readonly disks: string;
}

/**
 * `hbadiff paths [--hbas LIST|all] [--disks LIST]`: every path the guest shows, with its sg node, guest driver
 * and first answers; an HBA left out of `all`, or whose disk the guest never shows, in one line saying why.
 */
export const pathsCommand = async (options: PathsOptions): Promise<void> => {
  let topology: Topology | undefined;
  if (options.hbas !== undefined) {
    const qemu = await probeQemu(locateQemu(options.qemu));
    topology = topologyOfPaths(pathsOfHbas(options.hbas, options.disks, qemu, findGuestImage(), (line) => console.log(line)));
  }
  const session = await GuestSession.start({ qemu: options.qemu, accelerator: options.accel, topology, leaveOutMissing: true });
  stopOnSignals(() => session.stop());
  try {
    for (const line of await showPaths(session)) console.log(line);
  } finally {
    await session.stop();
  }
};
