import { viaSgIo } from '../sg-io-outcome';
import { CommandOutcome } from '../../../harness/execute/step-outcome';
import { fnv1a64 } from '../../../harness/guest/wire/fnv1a64';
import { answerCommand } from '../../../harness/model/answer-command';
import { DeviceState } from '../../../harness/model/device-state';
import { Departure, judgeAnswer } from '../../../harness/model/judge-answer';
import { ScsiCommand } from '../../../harness/scsi/command';

/** A small disk for the model's tables: 64 blocks of 512 bytes, each block's bytes its LBA. */
export const diskBlocks = 64;
export const initialContent = (): Buffer => {
  const bytes = Buffer.alloc(diskBlocks * 512);
  for (let lba = 0; lba < diskBlocks; lba++) bytes.fill(lba + 1, lba * 512, (lba + 1) * 512);
  return bytes;
};

/** A device state no reset or power-on attention hangs over. */
export const freshState = (): DeviceState => {
  const state = new DeviceState(initialContent(), 512);
  state.possibleAttentions = [];
  return state;
};

/** Fixed format sense data with the key, ASC and ASCQ given. */
export const fixedSense = (key: number, asc: number, ascq: number): Buffer => {
  const sense = Buffer.alloc(18);
  sense[0] = 0x70;
  sense[2] = key;
  sense[7] = 10;
  sense[12] = asc;
  sense[13] = ascq;
  return sense;
};

/** An answer as the executor reports it: GOOD and a full transfer unless told otherwise. */
export const outcome = (command: ScsiCommand, overrides: Partial<CommandOutcome> = {}): CommandOutcome => ({
  ...{ kind: 'command', command, ...viaSgIo(), status: 0, sense: Buffer.alloc(0), residual: 0 },
  dataIn: command.direction === 'from-device' ? Buffer.alloc(command.length) : undefined,
  dataDigest: command.direction === 'from-device' ? fnv1a64(Buffer.alloc(command.length)) : 0n,
  log: [],
  durationNs: 1n,
  branches: [],
  ...overrides,
});

export const checkCondition = (command: ScsiCommand, key: number, asc: number, ascq: number): CommandOutcome =>
  outcome(command, { status: 2, ...viaSgIo({ driverStatus: 8 }), sense: fixedSense(key, asc, ascq), residual: command.length, dataIn: command.direction === 'from-device' ? Buffer.alloc(command.length, 0xa5) : undefined });

/** What the model makes of one answer in `state`, which it moves on. */
export const judge = (state: DeviceState, answer: CommandOutcome): Departure[] =>
  judgeAnswer({ answer: answerCommand(answer.command, state), outcome: answer, state, parametersKnown: true, masked: [] });

export const command = (cdb: Buffer, direction: ScsiCommand['direction'] = 'none', length = 0, dataOut?: Buffer): ScsiCommand => ({
  cdb: cdb as ScsiCommand['cdb'],
  direction,
  length,
  ...(dataOut ? { dataOut } : {}),
});
