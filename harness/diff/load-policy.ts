import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseProblem } from '../case/case-problem';
import { parseJson } from '../case/parse-case';
import { checkSchema, schemaCompiler } from '../case/schema-check';
import { UserError } from '../errors/user-error';
import { Policy, PolicyRule } from './policy';
import policySchema from './policy-schema.json';

interface PolicyDocument {
  readonly format: string;
  readonly description?: string;
  readonly rules: readonly PolicyRule[];
}

const validatePolicy = schemaCompiler.compile<PolicyDocument>(policySchema);

export const defaultPolicyFile = join(__dirname, 'default-policy.json');

/** What the schema cannot say: byte ranges belong to `data` only and must not be empty; ids are unique. */
const checkRules = (rules: readonly PolicyRule[]): void => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) throw new CaseProblem(['rules', index, 'id'], `${JSON.stringify(rule.id)} is used by an earlier rule`);
    seen.add(rule.id);
    if (rule.bytes && rule.field !== 'data') throw new CaseProblem(['rules', index, 'bytes'], 'byte ranges mask data only; remove them or use "field": "data"');
    rule.bytes?.forEach(([from, to], range) => {
      if (from >= to) throw new CaseProblem(['rules', index, 'bytes', range], `[${from}, ${to}] is empty: the second number must be larger`);
    });
  });
};

export const parsePolicy = (text: string, source: string): Policy => {
  const document = parseJson(text, source);
  try {
    const checked = checkSchema(validatePolicy, document);
    checkRules(checked.rules);
    return { source, rules: checked.rules };
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(source);
    throw error;
  }
};

export const loadPolicy = (file: string): Policy => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the policy: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parsePolicy(text, file);
};
