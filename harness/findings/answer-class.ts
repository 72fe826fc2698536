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
  | {
      readonly part: 'result';
      /** The transport's words where the device never answered. */
      readonly unanswered?: string;
      readonly status: number;
      /** The transport's words for a problem on the way, beside the device's status. */
      readonly problem?: string;
      readonly sense?: { readonly key: number; readonly asc: number; readonly ascq: number; readonly descriptor: boolean };
    }
  | { readonly part: 'transfer'; readonly residual: string; readonly dataDiffers: boolean }
  | { readonly part: 'log'; readonly messages: boolean }
  | { readonly part: 'content' };

const resultClass = ({ delivery, status, sense: senseBytes }: CommandOutcome): AnswerClass => {
  if (!delivery.answered) return { part: 'result', unanswered: delivery.problem ?? delivery.completion, status: 0 };
  const sense = decodeSense(senseBytes);
  return {
    part: 'result',
    status,
    ...(delivery.problem !== undefined && { problem: delivery.problem }),
    ...(sense && { sense: { key: sense.key, asc: sense.asc, ascq: sense.ascq, descriptor: sense.format === 'descriptor' } }),
  };
};

/**
 * The class of one path's answer at a step in one part; `field` says which field of the part differed
 * (for `transfer`, whether the residual or only the data did).
 */
export const answerClass = (part: AnswerPart, outcome: StepOutcome | undefined, field: DivergenceField): AnswerClass => {
  if (part === 'content' || !outcome) return { part: 'content' };
  if (outcome.kind !== 'command') return outcome.delivery.answered ? { part: 'result', status: 0 } : { part: 'result', unanswered: outcome.delivery.problem ?? outcome.delivery.completion, status: 0 };
  switch (part) {
    case 'result':
      return resultClass(outcome);
    case 'transfer':
      return { part: 'transfer', residual: residualClass(outcome.residual, outcome.command.length), dataDiffers: field === 'data' };
    case 'log':
      return { part: 'log', messages: outcome.log.some((record) => record.level <= 4) };
  }
};

const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');

/**
 * A transport's failure, named by what the transport said (SG_IO's host and driver status, an HBA's code), not by the device's
 * sense beside it, which follows the command: pvscsi's DID_ERROR is one answer whatever the sense.
 */
export const transportClass = (answer: AnswerClass): AnswerClass => (answer.part === 'result' ? { ...answer, sense: undefined } : answer);

/** The class as findings, baselines and reports print it: `CHECK CONDITION 4/44/00`, `host 0x0007`, `residual none`. */
export const answerClassText = (answer: AnswerClass): string => {
  switch (answer.part) {
    case 'result': {
      if (answer.unanswered !== undefined) return answer.unanswered;
      const parts = [statusName(answer.status)];
      if (answer.sense) parts.push(`${hex(answer.sense.key, 1)}/${hex(answer.sense.asc, 2)}/${hex(answer.sense.ascq, 2)}${answer.sense.descriptor ? ' descriptor' : ''}`);
      if (answer.problem !== undefined) parts.push(answer.problem);
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
