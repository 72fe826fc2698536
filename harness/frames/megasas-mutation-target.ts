import { ScsiStatus } from '../scsi/status';
import type { FrameDriver } from '../qtest/frame-driver';
import type { GuestMemory } from '../qtest/guest-memory';
import { linuxSenseBytes } from '../qtest/megasas-command-frame';
import { MegasasFrameDriver } from '../qtest/megasas-driver';
import { bufferPlaces, spareBytes } from './address-choice';
import { frameCommandOf } from './base-command';
import { dataDigest, FrameOutcome } from './frame-outcome';
import { MfiMutation } from './mfi-mutation';
import { mutatedMfiFrame } from './mfi-mutated-frame';
import type { MutationTarget } from './mutation-target';

/** megasas or megasas-gen2, each frame over fresh guarded buffers: sense, data (where the command moves any) and a spare. */
export class MegasasMutationTarget implements MutationTarget<MfiMutation> {
  private nextContext = 1;

  constructor(
    private readonly driver: MegasasFrameDriver,
    private readonly memory: GuestMemory,
    private readonly timeoutMs: number,
  ) {}

  static over(driver: FrameDriver, memory: GuestMemory, timeoutMs: number): MegasasMutationTarget {
    if (!(driver instanceof MegasasFrameDriver)) throw new Error(`frames: ${driver.model} has no MFI frame driver`);
    return new MegasasMutationTarget(driver, memory, timeoutMs);
  }

  async send(mutation: MfiMutation, unmutated: boolean): Promise<FrameOutcome> {
    const frameMutation = unmutated ? { ...mutation, overrides: [] } : mutation;
    const command = frameCommandOf(mutation.command, this.timeoutMs);
    const dataBytes = command.dataOut ?? command.dataInLength;
    const [sense, data, spare] = await Promise.all([
      this.memory.allocGuarded('sense', linuxSenseBytes),
      mutation.command.dataBytes > 0 ? this.memory.allocGuarded('data', dataBytes) : undefined,
      this.memory.allocGuarded('spare', spareBytes),
    ]);
    const context = BigInt(this.nextContext++);
    const { frame, frameCount, writable } = mutatedMfiFrame(frameMutation, bufferPlaces({ sense, data, spare }, spare), context, this.timeoutMs);
    const outcome = await this.driver.sendFrame(frame, data ? [sense, data] : [sense], { timeoutMs: this.timeoutMs, frameCount });
    const { completion } = outcome;
    const [senseBytes, dataBytesAfter] = outcome.buffers;
    return {
      answer: {
        completion: outcome.completed ? 'completed' : 'no completion',
        hbaStatus: completion.cmdStatusName,
        status: String(completion.scsiStatus),
        sense: completion.scsiStatus === ScsiStatus.checkCondition ? senseBytes.subarray(0, completion.senseLength).toString('hex') : '',
        residual: 'none',
        data: mutation.command.direction === 'in' && dataBytesAfter ? dataDigest(dataBytesAfter) : 'none',
      },
      changedGuards: outcome.strayWrites.length > 0 ? await this.memory.changedGuards() : [],
      writable,
    };
  }
}
