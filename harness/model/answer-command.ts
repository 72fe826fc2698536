import { ScsiCommand } from '../scsi/command';
import { lookUpCommand } from '../scsi/commands/command-table';
import { expectedTransfer } from '../scsi/expected-transfer';
import { CommandLayout } from '../scsi/layout/command-layout';
import { fieldValueProblem } from '../scsi/layout/field';
import { definedBits, readCdbFields } from '../scsi/layout/read-cdb-fields';
import { CommandContext } from './command-context';
import { commandFamilies, mediaAccess, unitAttentionExempt } from './command-families';
import { notReadyStopped } from './commands/sense-and-readiness';
import { otherCommandAnswer } from './commands/other-commands';
import { DeviceState, known } from './device-state';
import { ModelAnswer, checkCondition, invalidFieldInCdb, permitting, requiring, unjudged } from './model-answer';
import { Requirements } from './requirement';

/** SAM-5 5.2: CONTROL bit 2 is NACA; bits 7-6 are vendor specific, 5-3 reserved, 1-0 obsolete. */
const naca = 0x04;

/** PERSISTENT RESERVE OUT's SCOPE is ignored by the service actions that do not reserve: its family judges it. */
const familyJudged = new Set(['scope']);

/** Whether the device received all the data-out the CDB asks for (trivially, when it asks for none). */
export const parametersArrived = (command: ScsiCommand, blockBytes: number): boolean => {
  const asked = expectedTransfer(command.cdb, blockBytes);
  if (!asked || asked.direction !== 'to-device') return true;
  return command.direction === 'to-device' && command.length >= asked.bytes && command.dataOut !== undefined;
};

/** The parameter data a command's device receives: what the CDB asks for, when the host sent at least that much. */
const parametersOf = (command: ScsiCommand, state: DeviceState): Buffer | undefined => {
  if (!parametersArrived(command, state.blockBytes)) return undefined;
  const asked = expectedTransfer(command.cdb, state.blockBytes);
  return asked?.direction === 'to-device' && command.dataOut ? command.dataOut.subarray(0, asked.bytes) : Buffer.alloc(0);
};

/** Checks of the CDB itself before any command's own: reserved code values, reserved bits, the CONTROL byte. */
const cdbChecks = (layout: CommandLayout, context: CommandContext, answer: ModelAnswer): ModelAnswer => {
  let checked = answer;
  for (const [key, field] of Object.entries(layout.fields)) {
    if (familyJudged.has(key) || key === 'control') continue;
    const value = field.kind === 'number' ? context.number(key) : undefined;
    if (value !== undefined && fieldValueProblem(field, value)) checked = requiring(checked, invalidFieldInCdb(Requirements.reservedCodeValue, context.byteOf(key)));
  }
  definedBits(layout).forEach((mask, index) => {
    if (index < layout.length - 1 && ((context.cdb[index] ?? 0) & ~mask & 0xff) !== 0) checked = permitting(checked, invalidFieldInCdb(Requirements.reservedBits, index));
  });
  const control = context.cdb[layout.length - 1] ?? 0;
  if (control & naca) checked = requiring(checked, invalidFieldInCdb(Requirements.naca, layout.length - 1));
  if (control & ~naca) checked = permitting(checked, invalidFieldInCdb(Requirements.reservedBits, layout.length - 1));
  return checked;
};

/** The stopped unit refuses media access (SBC-4 4.20.3); a device that carries one out is evidently not stopped. */
const readiness = (layout: CommandLayout, state: DeviceState, answer: ModelAnswer): ModelAnswer => {
  if (!mediaAccess.has(layout) || (state.stopped.known && !state.stopped.value)) return answer;
  const started = answer.completion && {
    ...answer.completion,
    effect: (after: DeviceState, data: Buffer | undefined) => {
      after.stopped = known(false);
      answer.completion?.effect?.(after, data);
    },
  };
  const stopped = { ...answer, completion: started };
  return state.stopped.known ? requiring(stopped, notReadyStopped()) : permitting(stopped, notReadyStopped());
};

/** SAM-5 5.14: after a reset or a new capacity, the first command (but INQUIRY, REPORT LUNS, REQUEST SENSE) may meet a unit attention, once. */
const unitAttention = (layout: CommandLayout | undefined, state: DeviceState, answer: ModelAnswer): ModelAnswer => {
  if (state.possibleAttentions.length === 0 || (layout && unitAttentionExempt.has(layout))) return answer;
  return permitting(
    answer,
    ...state.possibleAttentions.map(([asc, ascq]) =>
      // Reported, it is gone; another one queued behind it (a bus's after the device's own) may follow.
      checkCondition(Requirements.unitAttention, { key: 0x6, asc, ...(ascq !== undefined && { ascq }) }, (after) => {
        after.possibleAttentions = after.possibleAttentions.filter(([a, q]) => a !== asc || q !== ascq);
      }),
    ),
  );
};

/** What the standard makes of `command` in `state`: every answer it allows, and what each does. */
export const answerCommand = (command: ScsiCommand, state: DeviceState): ModelAnswer => {
  const cdb = command.cdb;
  if (cdb.length === 0) return unjudged('an empty CDB');
  const lookup = lookUpCommand(cdb);
  if (!lookup.found) return unitAttention(undefined, state, otherCommandAnswer(cdb, state));
  const layout = lookup.layout;
  if (cdb.length < layout.length) return unjudged(`the CDB is shorter than ${layout.name}'s ${layout.length} bytes (${Requirements.cdbLength.cite})`);
  const family = commandFamilies.get(layout);
  if (!family) throw new Error(`the model has no family for ${layout.name}`);
  const context = new CommandContext(cdb, layout, readCdbFields(layout, cdb).values, state, parametersOf(command, state));
  return unitAttention(layout, state, readiness(layout, state, cdbChecks(layout, context, family(context))));
};
