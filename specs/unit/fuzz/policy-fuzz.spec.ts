import { fc } from '@fast-check/jest';
import { readFileSync } from 'node:fs';
import { defaultPolicyFile, parsePolicy } from '../../../harness/diff/load-policy';
import { describeLoaderFuzz } from './loader-fuzz';

const defaultPolicy = JSON.parse(readFileSync(defaultPolicyFile, 'utf8')) as { rules: object[] };

/** Policies the loader accepts: the shipped one and any few of its rules, plus rules of every field. */
const validPolicyText = fc
  .tuple(fc.subarray(defaultPolicy.rules), fc.constantFrom('status', 'sense', 'residual', 'kernelLog', 'hostStatus'))
  .map(([rules, field]) =>
    JSON.stringify({
      format: 'hbadiff-policy/1',
      rules: [
        ...rules,
        { id: 'fuzz-rule', between: ['megasas:*', 'virtio-scsi:*'], opcode: '12', field, reason: 'fuzz' },
        { id: 'fuzz-data', between: ['*:scsi-hd', '*:scsi-block'], opcode: '1a', page: '08', field: 'data', bytes: [[0, 4]], reason: 'fuzz' },
      ],
    }),
  );

describeLoaderFuzz('parsePolicy', {
  source: 'policy.json',
  parse: parsePolicy,
  validText: validPolicyText,
  fieldNames: ['format', 'description', 'rules', 'id', 'between', 'opcode', 'page', 'field', 'bytes', 'reason'],
  awkwardValues: ['hbadiff-policy/1', '*:*', 'megasas:scsi-hd', 'data', 'crash', [0, 0], [[4, 2]], [[0, 1e9]], 'ZZ', '1a'],
  checkAccepted: (policy) => expect(policy.source).toBe('policy.json'),
});
