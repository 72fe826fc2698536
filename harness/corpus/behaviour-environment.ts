import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Policy } from '../diff/policy';

/** What a case's behaviours depend on besides the case: the QEMU build, the guest image, and the policy. */
export interface EnvironmentParts {
  readonly qemuPath: string;
  readonly imageKey: string;
  readonly policy: Policy;
}

const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');

/**
 * Names an environment in the behaviour cache. The QEMU binary is hashed, not its version asked: every build
 * of a development tree says the same version, and a rebuilt QEMU must not reuse the last build's behaviours.
 */
export const behaviourEnvironment = (parts: EnvironmentParts): string =>
  sha1([sha1(readFileSync(parts.qemuPath)), parts.imageKey, JSON.stringify(parts.policy.rules)].join('\n')).slice(0, 16);
