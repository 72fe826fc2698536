import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseProblem } from '../case/case-problem';
import { parseJson } from '../case/parse-case';
import { checkSchema, schemaCompiler } from '../case/schema-check';
import { UserError } from '../errors/user-error';
import { hbaIntendedDifferences } from '../qemu/hba/intended-differences';
import { hbaDrivers } from '../qemu/hba/registry';
import { Policy, PolicyRule } from './policy';
import policySchema from './policy-schema.json';

interface PolicyDocument {
  readonly format: string;
  readonly description?: string;
  readonly rules: readonly PolicyRule[];
}

const validatePolicy = schemaCompiler.compile<PolicyDocument>(policySchema);

export const defaultPolicyFile = join(__dirname, 'default-policy.json');

/** Which comparison a policy is for: between paths, or between the reference model and a path. */
export type PolicyKind = 'paths' | 'model';

/** A model rule names the model on one side and a path on the other; a path rule names two paths. */
const sidesProblem = (rule: PolicyRule, kind: PolicyKind): string | undefined => {
  const models = rule.between.filter((side) => side === 'model').length;
  if (kind === 'model' && models !== 1) return 'a model policy rule is between "model" and one path pattern';
  if (kind === 'paths' && models !== 0) return '"model" belongs in the model policy (harness/model/model-policy.json), not between paths';
  if (kind === 'paths' && rule.requirement !== undefined) return 'a requirement scopes model policy rules only';
  return undefined;
};

/** What the schema cannot say: byte ranges belong to `data` only and must not be empty; ids are unique; the sides fit the kind. */
const checkRules = (rules: readonly PolicyRule[], kind: PolicyKind): void => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) throw new CaseProblem(['rules', index, 'id'], `${JSON.stringify(rule.id)} is used by an earlier rule`);
    seen.add(rule.id);
    const sides = sidesProblem(rule, kind);
    if (sides) throw new CaseProblem(['rules', index, 'between'], sides);
    if (rule.reset !== undefined && (rule.field !== 'status' || rule.page !== undefined)) throw new CaseProblem(['rules', index, 'field'], 'a rule about a reset speaks of its outcome only: "field": "status", no page');
    if (rule.host !== undefined && (rule.field !== 'status' || rule.page !== undefined)) throw new CaseProblem(['rules', index, 'field'], 'a rule about a host event speaks of its outcome only: "field": "status", no page');
    if (rule.bytes && rule.field !== 'data') throw new CaseProblem(['rules', index, 'bytes'], 'byte ranges mask data only; remove them or use "field": "data"');
    rule.bytes?.forEach(([from, to], range) => {
      if (from >= to) throw new CaseProblem(['rules', index, 'bytes', range], `[${from}, ${to}] is empty: the second number must be larger`);
    });
  });
};

export const parsePolicy = (text: string, source: string, kind: PolicyKind = 'paths'): Policy => {
  const document = parseJson(text, source);
  try {
    const checked = checkSchema(validatePolicy, document);
    checkRules(checked.rules, kind);
    return { source, rules: checked.rules };
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(source);
    throw error;
  }
};

/** The intended differences the HBAs' own files declare (harness/qemu/hba/), those of this kind of policy. */
const hbaRules = (kind: PolicyKind): PolicyRule[] =>
  hbaDrivers.flatMap(hbaIntendedDifferences).filter((rule) => rule.between.includes('model') === (kind === 'model'));

/** A policy file's rules, and the intended differences each HBA's file declares beside them. */
export const loadPolicy = (file: string, kind: PolicyKind = 'paths'): Policy => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the policy: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const own = parsePolicy(text, file, kind);
  const rules = hbaRules(kind);
  return { source: `${file} and ${rules.length} intended differences of the HBAs (harness/qemu/hba/)`, rules: [...own.rules, ...rules] };
};
