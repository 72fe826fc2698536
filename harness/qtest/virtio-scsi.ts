import type { FrameAnswer, FrameCommand, FrameDriver, FrameDriverContext, FrameDriverFactory } from './frame-driver';
import type { GuardedBuffer, GuestMemory } from './guest-memory';
import type { QtestClient } from './qtest-client';
import { SplitVirtqueue, UsedElement } from './split-virtqueue';
import { VirtioPciModern, virtioFVersion1, virtioStatus } from './virtio-pci-modern';
import { decodeResponse, encodeRequest, responseBytes, virtioScsiResponseName, virtioScsiResponseOk, VirtioScsiSizes } from './virtio-scsi-request';
import { buildChain, ChainBuffer, DescriptorChain } from './virtq-chain';

/** Queues 0 and 1 are control and event; requests go to the first request queue. */
const requestQueueIndex = 2;
/** Offsets in struct virtio_scsi_config. */
const configSenseSize = 20;
const configCdbSize = 24;
/** Virtual time each poll lets pass: timers (none on virtio-scsi's command path) get to run; block I/O completes in real time. */
const pollStepNs = 100_000;
/** Fills the response before the device writes it, so fields it left alone read as 0xff, not as VIRTIO_SCSI_S_OK. */
const unwrittenResponseByte = 0xff;

/** The buffers of one command, in the order a virtio-scsi chain carries them (device-readable first). */
export interface VirtioScsiBuffers {
  readonly request: GuardedBuffer;
  readonly dataOut: GuardedBuffer | undefined;
  readonly response: GuardedBuffer;
  readonly dataIn: GuardedBuffer | undefined;
}

/** The well-formed chain for `buffers`: request, data-out, response, data-in; absent data takes no descriptor. */
export const virtioScsiChain = (buffers: VirtioScsiBuffers, queueSize: number): DescriptorChain => {
  const readable = (buffer: GuardedBuffer): ChainBuffer => ({ address: buffer.address, length: buffer.length, writable: false });
  const writable = (buffer: GuardedBuffer): ChainBuffer => ({ address: buffer.address, length: buffer.length, writable: true });
  const { request, dataOut, response, dataIn } = buffers;
  return buildChain([readable(request), ...(dataOut ? [readable(dataOut)] : []), writable(response), ...(dataIn ? [writable(dataIn)] : [])], 0, queueSize);
};

/**
 * virtio-scsi-pci spoken to through its modern transport and one request queue, one command at a time: every
 * command's chain starts at descriptor 0 and its completion is polled in the used ring.
 */
export class VirtioScsiFrameDriver implements FrameDriver {
  readonly model = 'virtio-scsi' as const;
  private nextTag = 1n;

  private constructor(
    private readonly qtest: QtestClient,
    private readonly memory: GuestMemory,
    private readonly device: VirtioPciModern,
    private readonly queue: SplitVirtqueue,
    private readonly kick: () => Promise<void>,
    readonly sizes: VirtioScsiSizes,
  ) {}

  /** Reset, ACKNOWLEDGE, DRIVER, VIRTIO_F_VERSION_1 alone, FEATURES_OK, the request queue, DRIVER_OK. */
  static async init({ qtest, memory, pci }: FrameDriverContext): Promise<VirtioScsiFrameDriver> {
    const device = await VirtioPciModern.open(pci);
    await device.reset();
    await device.setStatus(virtioStatus.acknowledge);
    await device.setStatus(virtioStatus.acknowledge | virtioStatus.driver);
    if (!((await device.deviceFeatures()) & virtioFVersion1)) throw new Error('virtio-scsi: the device does not offer VIRTIO_F_VERSION_1');
    await device.setDriverFeatures(virtioFVersion1);
    const negotiated = virtioStatus.acknowledge | virtioStatus.driver | virtioStatus.featuresOk;
    await device.setStatus(negotiated);
    if (!((await device.status()) & virtioStatus.featuresOk)) throw new Error('virtio-scsi: the device refused VIRTIO_F_VERSION_1 alone (FEATURES_OK cleared)');
    const size = await device.queueMaxSize(requestQueueIndex);
    if (size === 0) throw new Error(`virtio-scsi: the device has no queue ${requestQueueIndex} (no request queue)`);
    const queue = await SplitVirtqueue.allocate(qtest, memory, size);
    const kick = await device.enableQueue(requestQueueIndex, queue.layout);
    const [senseBytes, cdbBytes] = await Promise.all([device.deviceConfigReadl(configSenseSize), device.deviceConfigReadl(configCdbSize)]);
    await device.setStatus(negotiated | virtioStatus.driverOk);
    return new VirtioScsiFrameDriver(qtest, memory, device, queue, kick, { senseBytes, cdbBytes });
  }

  get queueSize(): number {
    return this.queue.layout.size;
  }

  /** The guarded buffers a command needs, written in one batch. */
  async buffersFor(command: FrameCommand): Promise<VirtioScsiBuffers> {
    const tag = this.nextTag++;
    const [request, dataOut, response, dataIn] = await Promise.all([
      this.memory.allocGuarded('virtio-scsi request', encodeRequest({ ...command, tag }, this.sizes)),
      command.dataOut && command.dataOut.length > 0 ? this.memory.allocGuarded('virtio-scsi data-out', command.dataOut) : undefined,
      this.memory.allocGuarded('virtio-scsi response', Buffer.alloc(responseBytes(this.sizes), unwrittenResponseByte)),
      command.dataInLength > 0 ? this.memory.allocGuarded('virtio-scsi data-in', command.dataInLength) : undefined,
    ]);
    return { request, dataOut, response, dataIn };
  }

  /**
   * Makes `chain` available, kicks the queue, and polls the used ring (a clock step between polls) until an
   * element comes back, the device sets NEEDS_RESET (virtio_error(): it takes no request until reset, so no
   * element will come), or `timeoutMs` passes.
   */
  async submit(chain: DescriptorChain, timeoutMs: number): Promise<UsedElement | undefined> {
    const deadline = Date.now() + timeoutMs;
    let [, , used, status] = await Promise.all([this.queue.makeAvailable(chain), this.kick(), this.queue.takeUsed(), this.device.status()]);
    while (!used && !(status & virtioStatus.needsReset) && Date.now() < deadline) {
      [, used, status] = await Promise.all([this.qtest.clockStep(pollStepNs), this.queue.takeUsed(), this.device.status()]);
    }
    return used;
  }

  /** Buffers are freed after a completion; after a hang they stay allocated, since QEMU may still write them. */
  async send(command: FrameCommand): Promise<FrameAnswer> {
    const mark = this.memory.mark();
    const buffers = await this.buffersFor(command);
    const used = await this.submit(virtioScsiChain(buffers, this.queueSize), command.timeoutMs);
    const [responseRaw, dataIn, strayWrites] = await Promise.all([
      this.qtest.memread(buffers.response.address, buffers.response.length),
      buffers.dataIn ? this.qtest.memread(buffers.dataIn.address, buffers.dataIn.length) : Buffer.alloc(0),
      this.memory.strayWrites(),
    ]);
    if (used) this.memory.release(mark);
    const response = decodeResponse(responseRaw);
    return {
      completed: used !== undefined,
      status: response.status,
      sense: response.sense,
      residual: response.residual,
      dataIn,
      deviceAnswered: used !== undefined && response.response === virtioScsiResponseOk,
      hbaStatus: response.response,
      hbaStatusName: virtioScsiResponseName(response.response),
      strayWrites,
    };
  }
}

export const virtioScsiFrameDriverFactory: FrameDriverFactory = {
  model: 'virtio-scsi',
  vendorId: 0x1af4,
  // The transitional id: QEMU keeps the legacy interface of a virtio-pci device on a root bus (q35's pcie.0, pc's pci.0).
  deviceId: 0x1004,
  init: (context) => VirtioScsiFrameDriver.init(context),
};
