import type { FrameDriver } from '../qtest/frame-driver';
import type { GuestMemory } from '../qtest/guest-memory';
import type { QtestClient } from '../qtest/qtest-client';
import { VirtioScsiFrameDriver } from '../qtest/virtio-scsi';
import { decodeResponse, responseBytes, virtioScsiResponseName } from '../qtest/virtio-scsi-request';
import { bufferPlaces, spareBytes } from './address-choice';
import { frameCommandOf } from './base-command';
import { dataDigest, FrameOutcome } from './frame-outcome';
import type { MutationTarget } from './mutation-target';
import { mutatedChain, mutatedRequest } from './virtio-mutated-chain';
import type { VirtioMutation } from './virtio-mutation';

/** Fills the response before the device writes it, so fields it left alone read as 0xff, not as VIRTIO_SCSI_S_OK. */
const unwrittenResponseByte = 0xff;

/** virtio-scsi, each chain over fresh guarded buffers: request, data-out, response, data-in and a spare. */
export class VirtioMutationTarget implements MutationTarget<VirtioMutation> {
  private nextTag = 1n;

  constructor(
    private readonly driver: VirtioScsiFrameDriver,
    private readonly qtest: QtestClient,
    private readonly memory: GuestMemory,
    private readonly timeoutMs: number,
  ) {}

  static over(driver: FrameDriver, qtest: QtestClient, memory: GuestMemory, timeoutMs: number): VirtioMutationTarget {
    if (!(driver instanceof VirtioScsiFrameDriver)) throw new Error(`frames: ${driver.model} has no virtio-scsi frame driver`);
    return new VirtioMutationTarget(driver, qtest, memory, timeoutMs);
  }

  async send(mutation: VirtioMutation, unmutated: boolean): Promise<FrameOutcome> {
    const chainMutation = unmutated ? { ...mutation, overrides: [] } : mutation;
    const command = frameCommandOf(mutation.command, this.timeoutMs);
    const [request, dataOut, response, dataIn, spare] = await Promise.all([
      this.memory.allocGuarded('request', mutatedRequest(chainMutation, this.driver.sizes, this.nextTag++)),
      command.dataOut ? this.memory.allocGuarded('data-out', command.dataOut) : undefined,
      this.memory.allocGuarded('response', Buffer.alloc(responseBytes(this.driver.sizes), unwrittenResponseByte)),
      command.dataInLength > 0 ? this.memory.allocGuarded('data-in', command.dataInLength) : undefined,
      this.memory.allocGuarded('spare', spareBytes),
    ]);
    const places = bufferPlaces({ request, 'data-out': dataOut, response, 'data-in': dataIn, spare }, spare);
    const { chain, writable } = mutatedChain(chainMutation, places, this.driver.queueSize);
    const used = await this.driver.submit(chain, this.timeoutMs);
    const [responseRaw, dataInBytes, changedGuards] = await Promise.all([
      this.qtest.memread(response.address, response.length),
      dataIn ? this.qtest.memread(dataIn.address, dataIn.length) : Buffer.alloc(0),
      this.memory.changedGuards(),
    ]);
    const decoded = decodeResponse(responseRaw);
    return {
      answer: {
        completion: used ? 'completed' : 'no completion',
        hbaStatus: virtioScsiResponseName(decoded.response),
        status: String(decoded.status),
        sense: decoded.sense.toString('hex'),
        residual: String(decoded.residual),
        data: dataDigest(dataInBytes),
      },
      changedGuards,
      writable,
    };
  }
}
