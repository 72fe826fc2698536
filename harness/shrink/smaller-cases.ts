import { Case, CaseStep, CommandStep } from '../case/case-types';
import { cdb } from '../scsi/cdb';
import { ScsiCommand } from '../scsi/command';
import { expectedTransfer } from '../scsi/expected-transfer';
import { blockBytes } from '../session/disk-content';

const withSteps = (testCase: Case, steps: readonly CaseStep[]): Case => ({ ...testCase, steps });

const withCommand = (testCase: Case, index: number, command: ScsiCommand): Case =>
  withSteps(
    testCase,
    testCase.steps.map((step, at) => (at === index ? ({ ...(step as CommandStep), command } satisfies CommandStep) : step)),
  );

/** Whole chunks of steps left out, halving the chunk as in delta debugging: the biggest cuts first. */
function* fewerSteps(testCase: Case): Generator<Case> {
  const { steps } = testCase;
  for (let chunk = Math.ceil(steps.length / 2); chunk >= 1; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    for (let start = 0; start < steps.length; start += chunk) {
      const kept = [...steps.slice(0, start), ...steps.slice(start + chunk)];
      if (kept.length > 0) yield withSteps(testCase, kept);
    }
  }
}

/** One path fewer, with the resets aimed at it, while enough are left (two to compare; one shows a crash or a hang). */
function* fewerPaths(testCase: Case, fewest: number): Generator<Case> {
  const paths = testCase.paths ?? [];
  if (paths.length <= fewest) return;
  for (const path of paths) {
    const steps = testCase.steps.filter((step) => step.kind !== 'reset' || step.path !== path);
    if (steps.length > 0) yield { ...testCase, paths: paths.filter((other) => other !== path), steps };
  }
}

/** Each CDB byte but the opcode set to zero, then each multi-bit value halved. */
function* simplerCdbs(command: ScsiCommand): Generator<ScsiCommand> {
  for (let at = 1; at < command.cdb.length; at++) {
    if (command.cdb[at] === 0) continue;
    for (const value of new Set([0, command.cdb[at] >> 1])) {
      yield { ...command, cdb: cdb(command.cdb.map((byte, index) => (index === at ? value : byte))) };
    }
  }
}

/** Shorter host buffers: none at all, what the CDB asks for, half; data-out cut to match, then zeroed. */
function* simplerBuffers(command: ScsiCommand): Generator<ScsiCommand> {
  const asked = expectedTransfer(command.cdb, blockBytes)?.bytes;
  if (command.length > 0) yield { cdb: command.cdb, direction: 'none', length: 0 };
  for (const length of new Set([asked, command.length >> 1])) {
    if (length === undefined || length <= 0 || length >= command.length) continue;
    yield { ...command, length, ...(command.dataOut ? { dataOut: command.dataOut.subarray(0, length) } : {}) };
  }
  if (command.dataOut?.some((byte) => byte !== 0)) yield { ...command, dataOut: Buffer.alloc(command.dataOut.length) };
}

function* simplerCommands(testCase: Case): Generator<Case> {
  for (const [index, step] of testCase.steps.entries()) {
    if (step.kind !== 'command') continue;
    for (const command of [...simplerBuffers(step.command), ...simplerCdbs(step.command)]) yield withCommand(testCase, index, command);
  }
}

/**
 * Every one-move simplification of a case, the moves that remove most first: steps, paths, then each
 * command's buffer, data and CDB bytes. Lazy, so that a shrinker stops drawing at the first that still
 * shows what it looks for.
 */
export function* smallerCases(testCase: Case, fewestPaths: number): Generator<Case> {
  yield* fewerSteps(testCase);
  yield* fewerPaths(testCase, fewestPaths);
  yield* simplerCommands(testCase);
}
