import { CommandContext, commandKeyOf } from '../command-context';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, requiring, unjudged } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { selfDescribedTransfer } from './self-described';

/**
 * REPORT LUNS, SPC-5 6.33: the LUN LIST LENGTH, a multiple of 8, then the list. SELECT REPORT 10h-12h are
 * for administrative logical units, which a device may not have; an allocation length under 16 may be refused.
 */
export const reportLunsAnswer = (context: CommandContext): ModelAnswer => {
  const allocation = context.number('allocationLength');
  const select = context.number('selectReport');
  let answer = completes({
    transfer: selfDescribedTransfer(allocation, 4, (data) => data.readUInt32BE(0) + 8),
    data: {
      kind: 'structure',
      requirement: Requirements.reportLuns,
      problems: (data) => (data.length >= 4 && data.readUInt32BE(0) % 8 !== 0 ? [`LUN LIST LENGTH ${data.readUInt32BE(0)} is not a multiple of 8`] : []),
    },
  });
  if (allocation < 16) answer = permitting(answer, invalidFieldInCdb(Requirements.reportLuns, context.byteOf('allocationLength')));
  if (select >= 0x10 && select <= 0x12) answer = permitting(answer, invalidFieldInCdb(Requirements.reportLuns, 2));
  else if (select > 0x02) answer = requiring({ ...answer, completion: undefined }, invalidFieldInCdb(Requirements.reservedCodeValue, 2));
  return answer;
};

const serviceActionFamilies = new Set([0x5e, 0x5f, 0x7f, 0x83, 0x84, 0x86, 0x87, 0x94, 0x95, 0x9d, 0x9e, 0x9f, 0xa3, 0xa4]);

/** The key a command is recorded under, for the opcode (and service action) REPORT SUPPORTED OPERATION CODES asks about. */
const requestedKey = (opcode: number, serviceAction: number): string => commandKeyOf(Uint8Array.of(opcode, serviceAction & 0x1f));

/**
 * REPORT SUPPORTED OPERATION CODES, SPC-5 6.35: all commands, or one. Asking for one without its service
 * action when it has them, or with one when it has none, is INVALID FIELD IN CDB. What the device says
 * of one command (SUPPORT 001b not supported, 011b supported) must agree with how it answers that
 * command, before and after.
 */
export const reportSupportedOperationCodesAnswer = (context: CommandContext): ModelAnswer => {
  const allocation = context.number('allocationLength');
  const options = context.number('reportingOptions');
  const opcode = context.number('requestedOpcode');
  const serviceAction = context.number('requestedServiceAction');
  const state = context.state;
  if (options === 0) {
    return optional(context, completes({ transfer: selfDescribedTransfer(allocation, 4, (data) => data.readUInt32BE(0) + 4) }));
  }
  if (options > 3) return unjudged('a reserved REPORTING OPTIONS value: the reserved-value check decides');
  const key = requestedKey(opcode, serviceAction);
  const hasServiceActions = serviceActionFamilies.has(opcode);
  const ctdp = context.flag('rctd') ? 12 : 0;
  let answer = completes({
    transfer: selfDescribedTransfer(allocation, 4, (data) => data.readUInt16BE(2) + 4 + ((data[1] & 0x80) !== 0 ? ctdp : 0)),
    data: {
      kind: 'structure',
      requirement: Requirements.supportConsistent,
      problems: (data) => {
        if (data.length < 2) return [];
        const support = data[1] & 0x07;
        const known = state.choices.supported.get(key);
        if (support === 0b011 && known === false) return [`SUPPORT says ${key} is supported; the device answered it INVALID COMMAND OPERATION CODE`];
        if (support === 0b001 && known === true) return [`SUPPORT says ${key} is not supported; the device carried it out`];
        return [];
      },
    },
    effect: (after, data) => {
      const support = data && data.length >= 2 ? data[1] & 0x07 : undefined;
      if (support === 0b011 || support === 0b001) after.choices.supported.set(key, support === 0b011);
    },
  });
  const mismatch = (options === 1 && hasServiceActions) || (options === 2 && !hasServiceActions);
  if (mismatch) answer = requiring({ ...answer, completion: undefined }, invalidFieldInCdb(Requirements.reservedCodeValue, 2, 3, 4, 5));
  return optional(context, answer);
};
