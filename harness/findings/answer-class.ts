import { DivergenceField } from '../diff/divergence';
import { CommandOutcome, StepOutcome } from '../execute/step-outcome';
import { decodeSense } from '../scsi/sense';
import { statusName } from '../scsi/status';
import { residualClass } from './residual-class';

/**
 * The parts of an answer a cause is about: a command's result (status, sense, transport), how much data it
 * moved and what (residual, data-in), what the guest kernel said, the disk's content after the case.
 */
export type AnswerPart = 'result' | 'transfer' | 'log' | 'content';

export const partOf = (field: DivergenceField): AnswerPart => {
  switch (field) {
    case 'status':
    case 'hostStatus':
    case 'sense':
      return 'result';
    case 'residual':
    case 'data':
      return 'transfer';
    case 'kernelLog':
      return 'log';
    default:
      return 'content';
  }
};

/** What a path answered, as a cause names it: the kind of answer, not its every byte. */
type AnswerClass =
  | { readonly part: 'result'; readonly errno: number; readonly status: number; readonly hostStatus: number; readonly driverStatus: number; readonly sense?: { readonly key: number; readonly asc: number; readonly ascq: number; readonly descriptor: boolean } }
  | { readonly part: 'transfer'; readonly residual: string; readonly dataDiffers: boolean }
  | { readonly part: 'log'; readonly messages: boolean }
  | { readonly part: 'content' };

/** Linux sets DRIVER_SENSE whenever sense came back: the sense says it already. */
const driverSense = 0x08;

const resultClass = (outcome: CommandOutcome): AnswerClass => {
  const sense = outcome.errno === 0 ? decodeSense(outcome.sense) : null;
  return {
    part: 'result',
    errno: outcome.errno,
    status: outcome.errno === 0 ? outcome.status : 0,
    hostStatus: outcome.errno === 0 ? outcome.hostStatus : 0,
    driverStatus: outcome.errno === 0 ? outcome.driverStatus & ~driverSense : 0,
    ...(sense && { sense: { key: sense.key, asc: sense.asc, ascq: sense.ascq, descriptor: sense.format === 'descriptor' } }),
  };
};

/**
 * The class of one path's answer at a step in one part; `field` says which field of the part differed
 * (for `transfer`, whether the residual or only the data did).
 */
export const answerClass = (part: AnswerPart, outcome: StepOutcome | undefined, field: DivergenceField): AnswerClass => {
  if (part === 'content' || !outcome) return { part: 'content' };
  if (outcome.kind === 'reset') return { part: 'result', errno: outcome.errno, status: 0, hostStatus: 0, driverStatus: 0 };
  switch (part) {
    case 'result':
      return resultClass(outcome);
    case 'transfer':
      return { part: 'transfer', residual: residualClass(outcome.residual, outcome.command.length), dataDiffers: field === 'data' };
    case 'log':
      return { part: 'log', messages: outcome.kernelLog.some((record) => record.level <= 4) };
  }
};

const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');

/**
 * A transport's failure, named by what the transport said (host and driver status), not by the device's
 * sense beside it, which follows the command: pvscsi's DID_ERROR is one answer whatever the sense.
 */
export const transportClass = (answer: AnswerClass): AnswerClass => (answer.part === 'result' ? { ...answer, sense: undefined } : answer);

/** The class as findings, baselines and reports print it: `CHECK CONDITION 4/44/00`, `host 0x0007`, `residual none`. */
export const answerClassText = (answer: AnswerClass): string => {
  switch (answer.part) {
    case 'result': {
      if (answer.errno !== 0) return `SG_IO errno ${answer.errno}`;
      const parts = [statusName(answer.status)];
      if (answer.sense) parts.push(`${hex(answer.sense.key, 1)}/${hex(answer.sense.asc, 2)}/${hex(answer.sense.ascq, 2)}${answer.sense.descriptor ? ' descriptor' : ''}`);
      if (answer.hostStatus !== 0) parts.push(`host 0x${hex(answer.hostStatus, 4)}`);
      if (answer.driverStatus !== 0) parts.push(`driver 0x${hex(answer.driverStatus, 4)}`);
      return parts.join(' ');
    }
    case 'transfer':
      return answer.dataDiffers ? 'data differs' : `residual ${answer.residual}`;
    case 'log':
      return answer.messages ? 'kernel messages' : 'no kernel messages';
    case 'content':
      return 'content differs';
  }
};
