import { CommandContext } from '../command-context';
import { ModelAnswer, completes, invalidFieldInCdb, permitting, rejects, unjudged } from '../model-answer';
import { Requirements } from '../requirement';
import { optional } from '../support';
import { selfDescribedTransfer } from './self-described';

/**
 * SEND DIAGNOSTIC, SPC-5 6.42: SELFTEST runs the default self-test, which passes (GOOD); with a parameter
 * list or a SELF-TEST CODE beside it, it is INVALID FIELD IN CDB. Self-test codes and diagnostic pages are
 * optional. The command itself is mandatory (SBC-4 Table 21).
 */
export const sendDiagnosticAnswer = (context: CommandContext): ModelAnswer => {
  const selfTest = context.flag('selfTest');
  const code = context.number('selfTestCode');
  const length = context.number('parameterListLength');
  if (selfTest && (length !== 0 || code !== 0)) return rejects(invalidFieldInCdb(Requirements.diagnostics, 1, 3, 4));
  if (selfTest) return permitting(completes({ transfer: 0 }), invalidFieldInCdb(Requirements.diagnostics, 1));
  if (code !== 0) return permitting(completes({ transfer: 0 }), invalidFieldInCdb(Requirements.diagnostics, 1));
  if (length === 0) return permitting(completes({ transfer: 0 }), invalidFieldInCdb(Requirements.diagnostics, 1));
  return unjudged('a diagnostic page the model does not know');
};

/** RECEIVE DIAGNOSTIC RESULTS, SPC-5 6.29: optional; the page's own PAGE LENGTH says how much it moves. */
export const receiveDiagnosticResultsAnswer = (context: CommandContext): ModelAnswer => {
  const allocation = context.number('allocationLength');
  const answer = completes({ transfer: selfDescribedTransfer(allocation, 4, (data) => data.readUInt16BE(2) + 4) });
  return optional(context, permitting(answer, invalidFieldInCdb(Requirements.diagnostics, 1, 2)));
};
