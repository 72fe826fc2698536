import { join } from 'node:path';
import { CommandScope } from '../diff/command-scope';
import { DivergenceField } from '../diff/divergence';
import { loadPolicy } from '../diff/load-policy';
import { Policy, PolicyRule, patternMatches } from '../diff/policy';
import { PathId } from '../qemu/topology';

/** The intended departures of QEMU and tgtd from the standard, each with its reason. */
export const defaultModelPolicyFile = join(__dirname, 'model-policy.json');

export const loadModelPolicy = (file: string = defaultModelPolicyFile): Policy => loadPolicy(file, 'model');

/** The model policy's rules excusing this field of this command on this path, for this requirement. */
export const modelRulesFor = (policy: Policy, field: DivergenceField, scope: CommandScope, path: PathId, requirement: string): PolicyRule[] =>
  policy.rules.filter(
    (rule) =>
      rule.field === field &&
      rule.opcode === scope.opcode &&
      (rule.page === undefined || rule.page === scope.page) &&
      (rule.requirement === undefined || rule.requirement === requirement) &&
      rule.between.some((side) => side !== 'model' && patternMatches(side, path)),
  );
