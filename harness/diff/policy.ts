import { withoutBuild } from '../execute/build';
import type { ResetKind } from '../scsi/reset-kind';
import type { HostEvent } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { CommandScope } from './command-scope';
import { DivergenceField } from './divergence';

/**
 * One intended, documented difference between paths (or, in a model policy, between the reference model,
 * named `model`, and a path): scoped to a pair of paths (patterns `<hba>:<disk>`
 * where either part may be `*`), one command (an opcode, and a page or service action where the opcode
 * has them), and one field; for `data`, optionally to byte ranges. A rule can never mask a whole command
 * or a whole path: it always names one field of one opcode, or the outcome (`status`) of one kind of reset.
 */
export interface PolicyRule {
  readonly id: string;
  readonly between: readonly [string, string];
  /** The command's opcode; absent in a rule about a reset. */
  readonly opcode?: string;
  /** The kind of reset step whose outcome the rule is about, instead of a command. */
  readonly reset?: ResetKind;
  /** The kind of host event whose outcome (what the guest saw of it) the rule is about, instead of a command. */
  readonly host?: HostEvent['kind'];
  readonly page?: string;
  readonly field: Exclude<DivergenceField, 'content' | 'crash' | 'hang' | 'target'>;
  /** Half-open [from, to) byte ranges of the data-in buffer; only with `field: "data"`. */
  readonly bytes?: readonly (readonly [number, number])[];
  /** In a model policy, the one requirement of the standard (harness/model/requirement.ts) the rule excuses. */
  readonly requirement?: string;
  readonly reason: string;
}

export interface Policy {
  readonly source: string;
  readonly rules: readonly PolicyRule[];
}

export const emptyPolicy: Policy = { source: '(none)', rules: [] };

/** Whether a `<hba>:<disk>` pattern (either part `*`) names `path`. */
export const patternMatches = (pattern: string, path: PathId): boolean => {
  const [hbaPattern, diskPattern] = pattern.split(':');
  const [hba, disk] = withoutBuild(path).replace(/#\d+$/, '').split(':');
  return (hbaPattern === '*' || hbaPattern === hba) && (diskPattern === '*' || diskPattern === disk);
};

const pairMatches = (rule: PolicyRule, a: PathId, b: PathId): boolean =>
  (patternMatches(rule.between[0], a) && patternMatches(rule.between[1], b)) ||
  (patternMatches(rule.between[0], b) && patternMatches(rule.between[1], a));

/** The rules that speak of the outcome of this kind of reset between these two paths. */
export const resetRulesFor = (policy: Policy, reset: ResetKind, a: PathId, b: PathId): PolicyRule[] =>
  policy.rules.filter((rule) => rule.reset === reset && pairMatches(rule, a, b));

/** The rules that speak of the outcome of this kind of host event between these two paths. */
export const hostRulesFor = (policy: Policy, host: HostEvent['kind'], a: PathId, b: PathId): PolicyRule[] =>
  policy.rules.filter((rule) => rule.host === host && pairMatches(rule, a, b));

/** The rules that speak of this field of this command between these two paths. */
export const rulesFor = (
  policy: Policy,
  field: DivergenceField,
  scope: CommandScope,
  a: PathId,
  b: PathId,
): PolicyRule[] =>
  policy.rules.filter(
    (rule) =>
      rule.field === field &&
      rule.opcode === scope.opcode &&
      (rule.page === undefined || rule.page === scope.page) &&
      pairMatches(rule, a, b),
  );
