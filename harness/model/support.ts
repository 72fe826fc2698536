import { CommandContext } from './command-context';
import { ModelAnswer, invalidFieldInCdb, invalidOpcode, permitting, rejects } from './model-answer';
import { Requirements } from './requirement';

/**
 * An optional command: the device implements it or answers INVALID COMMAND OPERATION CODE, and once it
 * has answered one way it keeps to it. A service action the device lacks may also be INVALID FIELD IN CDB
 * pointing at the SERVICE ACTION field (SPC-5 4.2.5.3).
 */
export const optional = (context: CommandContext, answer: ModelAnswer): ModelAnswer => {
  const key = context.commandKey;
  const supported = context.state.choices.supported.get(key);
  const serviceAction = key.includes('/') ? [invalidFieldInCdb(Requirements.optionalCommand, 1)] : [];
  if (supported === false) return { ...rejects(invalidOpcode(Requirements.supportConsistent)), permitted: serviceAction };
  const observe = (state: typeof context.state, notImplemented: boolean) => state.choices.supported.set(key, !notImplemented);
  if (supported === true) return { ...answer, observe };
  return { ...permitting(answer, invalidOpcode(Requirements.optionalCommand), ...serviceAction), observe };
};
