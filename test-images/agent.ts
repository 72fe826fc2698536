import fs from 'node:fs';
import path from 'node:path';
import { SetupError } from './errors';
import { agentSource, repoRoot } from './paths';
import { run } from './tools';

/** Where the init finds the agent in the guest. */
export const agentPathInImage = 'sbin/hbadiff-agent';

export function requireAgentSource(): void {
  if (!fs.existsSync(agentSource)) {
    const source = path.relative(repoRoot, agentSource);
    throw new SetupError(`${source} does not exist: the guest agent must be written before an image can be built`);
  }
}

/** Compiles the agent statically, so it needs nothing from the image and runs on the host too. */
export function compileAgent(binary: string): string {
  requireAgentSource();
  const source = path.relative(repoRoot, agentSource);
  run('gcc', ['-static', '-Os', '-Wall', '-Wextra', '-Werror', '-o', binary, source], { cwd: repoRoot });
  return binary;
}
