import { ScsiStatus } from '../scsi/status';
import type { FrameAnswer, FrameCommand, FrameDriver, FrameDriverContext } from './frame-driver';
import type { GuardedBuffer, GuestMemory } from './guest-memory';
import { CommandBuffers, linuxSenseBytes, MegasasFrameKind, megasasCommandFrame } from './megasas-command-frame';
import type { MegasasVariant } from './megasas-variant';
import { decodeMfiCompletion, encodeMfiFrame, MfiCommand, MfiCompletion, MfiFrame, mfiFrameBytes, MfiFrameFlag, mfiHeaderLayout } from './mfi-frame';
import { encodeMfiQueueInfo } from './mfi-queue-info';
import { MfiFirmwareState, mfiClearAllDoorbells, mfiInterruptsDisabled, mfiMaxCommandsMask, MfiRegister } from './mfi-registers';
import { mfiReplyEntryBytes, MfiReplyQueue } from './mfi-reply-queue';
import { MfiStatus } from './mfi-status';
import type { PciBar } from './pci-bar';
import type { QtestClient } from './qtest-client';

/**
 * megasas_enqueue_frame() maps this much guest memory from a frame's address (MEGASAS_MAX_SGE SGL unions) and
 * reads SGL entries anywhere in it: each frame gets the whole window, zero past its own bytes, so an sge_count
 * past the frame's list reads zero entries, not the next buffer's guard.
 */
const frameWindowBytes = 2048;
/** megasas.c masks the low 5 bits of the inbound queue port off the frame's address. */
const frameAlign = 64;
/** Bits 1–4 of the inbound queue port. */
const maxFrameCount = 0xf;
/** Linux's megaraid_sas counts a frame and its SGL continuation in 64-byte frames, and says at most 8. */
const linuxMaxFrameCount = 8;
/** How long the firmware may take to come READY, or to complete INIT (megasas.c does both at once). */
const bringUpTimeoutMs = 5_000;

export interface SendFrameOptions {
  readonly timeoutMs: number;
  /** The frame count posted beside the address (4 bits); by default the 64-byte frames the frame fills, as Linux counts them. */
  readonly frameCount?: number;
}

/** What became of one posted frame. */
export interface MfiFrameOutcome {
  /** The frame's context came back in the reply queue within the timeout. */
  readonly completed: boolean;
  /** The frame's header as the firmware left it (cmd_status still 0xff from the driver if the firmware never wrote it). */
  readonly completion: MfiCompletion;
  /** Each buffer handed to `sendFrame`, read back after the frame, in the order given. */
  readonly buffers: readonly Buffer[];
  /** Every changed guard of every live guarded buffer: the frame's, the caller's, and the reply queue's. */
  readonly strayWrites: readonly string[];
}

/** The reply queue and the indexes megasas.c writes and reads, as MFI_CMD_INIT hands them over. */
const allocateReplyQueue = async (qtest: QtestClient, memory: GuestMemory, model: string, entries: number): Promise<MfiReplyQueue> => {
  const [queue, producer, consumer] = await Promise.all([
    memory.allocGuarded(`${model} reply queue`, entries * mfiReplyEntryBytes),
    memory.allocGuarded(`${model} producer index`, 4),
    memory.allocGuarded(`${model} consumer index`, 4),
  ]);
  return new MfiReplyQueue(qtest, {
    flags: 0,
    replyQueueEntries: entries,
    replyQueueAddress: BigInt(queue.address),
    producerIndexAddress: BigInt(producer.address),
    consumerIndexAddress: BigInt(consumer.address),
  });
};

/** Polls `read` with clock steps until `done` says its value will do, or `timeoutMs` passes; answers the last value read. */
const pollUntil = async (qtest: QtestClient, read: () => Promise<number>, done: (value: number) => boolean, timeoutMs: number): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await qtest.clockStep();
  }
};

const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;

/**
 * An LSI MegaRAID adapter (megasas or megasas-gen2) spoken to in MFI frames, brought up as Linux's megaraid_sas
 * brings up an MFI adapter: firmware READY, interrupts off (which megasas.c takes as a soft reset), MFI_CMD_INIT
 * with the reply queue, interrupts on (without which megasas.c never moves the reply queue's producer index).
 * One frame at a time: each is posted to the inbound queue port and its context awaited in the reply queue.
 */
export class MegasasFrameDriver implements FrameDriver {
  private nextContext = 1;

  private constructor(
    private readonly variant: MegasasVariant,
    private readonly qtest: QtestClient,
    private readonly memory: GuestMemory,
    private readonly registers: PciBar,
    private readonly replyQueue: MfiReplyQueue,
    readonly frameKind: MegasasFrameKind,
  ) {}

  get model(): MegasasVariant['model'] {
    return this.variant.model;
  }

  static async init(variant: MegasasVariant, { qtest, memory, pci }: FrameDriverContext, frameKind: MegasasFrameKind): Promise<MegasasFrameDriver> {
    const registers = pci.bar(variant.registerBar);
    const isReady = (status: number): boolean => (status & MfiFirmwareState.mask) >>> 0 === MfiFirmwareState.ready;
    const status = await pollUntil(qtest, () => registers.readl(variant.firmwareStatusRegister), isReady, bringUpTimeoutMs);
    if (!isReady(status)) {
      throw new Error(`${variant.model}: firmware status ${hex32(status)} did not come READY within ${bringUpTimeoutMs} ms`);
    }
    await registers.writel(MfiRegister.outboundInterruptMask, mfiInterruptsDisabled);
    const replyQueue = await allocateReplyQueue(qtest, memory, variant.model, status & mfiMaxCommandsMask);
    const driver = new MegasasFrameDriver(variant, qtest, memory, registers, replyQueue, frameKind);
    // The INIT frame and queue info are done with once INIT completed: megasas.c copied what it needed.
    const beforeInit = memory.mark();
    await driver.initFirmware();
    memory.release(beforeInit);
    await registers.writel(MfiRegister.outboundDoorbellClear, mfiClearAllDoorbells);
    await registers.writel(MfiRegister.outboundInterruptMask, variant.interruptEnableMask);
    return driver;
  }

  /** MFI_CMD_INIT, polled on its cmd_status as megaraid_sas polls it: megasas.c posts nothing to a queue it has not been given. */
  private async initFirmware(): Promise<void> {
    const queueInfo = await this.memory.allocGuarded(`${this.variant.model} queue info`, encodeMfiQueueInfo(this.replyQueue.info));
    const { window, posted } = await this.post(
      {
        header: {
          cmd: MfiCommand.init,
          senseLength: 0,
          cmdStatus: MfiStatus.invalidStatus,
          scsiStatus: 0,
          targetId: 0,
          lun: 0,
          cdbLength: 0,
          sgeCount: 0,
          context: 0n,
          flags: MfiFrameFlag.dontPostInReplyQueue,
          timeout: 0,
          dataTransferLength: queueInfo.length,
        },
        body: { layout: 'init', queueInfoAddress: BigInt(queueInfo.address) },
      },
    );
    await posted;
    const cmdStatus = await pollUntil(
      this.qtest,
      () => this.qtest.readb(window.address + mfiHeaderLayout.cmdStatus.offset),
      (value) => value !== MfiStatus.invalidStatus,
      bringUpTimeoutMs,
    );
    if (cmdStatus !== MfiStatus.ok) {
      throw new Error(`${this.variant.model}: MFI_CMD_INIT answered ${decodeMfiCompletion(await this.qtest.memread(window.address, mfiFrameBytes)).cmdStatusName}`);
    }
  }

  /**
   * Writes `frame` into a guarded frame window and posts its address and frame count to the inbound queue port
   * (not awaiting that write: what follows it in the qtest pipe sees its effect); the count is by default the
   * 64-byte frames the frame fills, as megaraid_sas counts them.
   */
  private async post(frame: MfiFrame, count?: number): Promise<{ readonly window: GuardedBuffer; readonly posted: Promise<void> }> {
    const bytes = encodeMfiFrame(frame);
    const frameCount = count ?? Math.min(linuxMaxFrameCount, bytes.length / mfiFrameBytes);
    if (!Number.isInteger(frameCount) || frameCount < 0 || frameCount > maxFrameCount) {
      throw new RangeError(`megasas: a frame count is 4 bits (0–${maxFrameCount}), not ${frameCount}`);
    }
    const content = Buffer.alloc(Math.max(frameWindowBytes, bytes.length));
    bytes.copy(content);
    const buffer = await this.memory.allocGuarded(`${this.variant.model} frame`, content, frameAlign);
    return { window: buffer, posted: this.registers.writel(MfiRegister.inboundQueuePort, (buffer.address | (frameCount << 1) | 1) >>> 0) };
  }

  /**
   * Posts any frame, however wrong, and waits for its context (low 32 bits) in the reply queue. The frame's
   * addresses should point into `buffers` (guarded buffers of the same guest memory); they are read back after.
   * The frame window is freed once the frame completed; after a hang it stays, since QEMU may still write it.
   */
  async sendFrame(frame: MfiFrame, buffers: readonly GuardedBuffer[], options: SendFrameOptions): Promise<MfiFrameOutcome> {
    const mark = this.memory.mark();
    const { window, posted } = await this.post(frame, options.frameCount);
    const [, completed] = await Promise.all([posted, this.replyQueue.waitFor(Number(frame.header.context & 0xffff_ffffn), options.timeoutMs)]);
    const [header, strayWrites, contents] = await Promise.all([
      this.qtest.memread(window.address, mfiFrameBytes),
      this.memory.strayWrites(),
      Promise.all(buffers.map((buffer) => this.qtest.memread(buffer.address, buffer.length))),
    ]);
    if (completed) this.memory.release(mark);
    return { completed, completion: decodeMfiCompletion(header), buffers: contents, strayWrites };
  }

  async send(command: FrameCommand): Promise<FrameAnswer> {
    if (command.dataOut && command.dataInLength > 0) {
      throw new Error(`${this.variant.model}: an MFI frame moves data one way; the command has both data-out and ${command.dataInLength} bytes of data-in`);
    }
    const mark = this.memory.mark();
    const dataLength = command.dataOut?.length ?? command.dataInLength;
    const [sense, data] = await Promise.all([
      this.memory.allocGuarded(`${this.variant.model} sense`, linuxSenseBytes),
      dataLength > 0 ? this.memory.allocGuarded(`${this.variant.model} data`, command.dataOut ?? dataLength) : undefined,
    ]);
    const buffers: CommandBuffers = {
      senseAddress: BigInt(sense.address),
      senseBytes: linuxSenseBytes,
      data: data && { address: BigInt(data.address), length: data.length },
    };
    const context = BigInt(this.nextContext);
    this.nextContext = (this.nextContext % 0xffff_ffff) + 1;
    const frame = megasasCommandFrame(command, this.frameKind, buffers, context);
    const outcome = await this.sendFrame(frame, data ? [sense, data] : [sense], { timeoutMs: command.timeoutMs });
    const [senseBytes, dataIn] = outcome.buffers;
    const { completion } = outcome;
    if (outcome.completed) this.memory.release(mark);
    return {
      completed: outcome.completed,
      status: completion.scsiStatus,
      // megasas.c writes sense with CHECK CONDITION only, and lowers sense_len to what it wrote; megaraid_sas copies it then only.
      sense: completion.scsiStatus === ScsiStatus.checkCondition ? senseBytes.subarray(0, completion.senseLength) : Buffer.alloc(0),
      // An MFI frame has no residual: megasas.c never writes data_xfer_len back, and megaraid_sas sets none for MFI frames.
      residual: 0,
      dataIn: command.dataInLength > 0 ? dataIn : Buffer.alloc(0),
      deviceAnswered: completion.cmdStatus === MfiStatus.ok || completion.cmdStatus === MfiStatus.scsiDoneWithError,
      hbaStatus: completion.cmdStatus,
      hbaStatusName: completion.cmdStatusName,
      strayWrites: outcome.strayWrites,
    };
  }
}
