import { buildOf, withoutBuild } from '../execute/build';
import { CaseRun, DiskAfter, PathRun } from '../execute/case-run';
import { CommandOutcome, StepOutcome } from '../execute/step-outcome';
import { blockBytes } from '../session/disk-content';
import { commandScope } from './command-scope';
import { dataValues } from './data-values';
import { commandFields, Divergence } from './divergence';
import { hostStatusValue, kernelLogValue, residualValue, senseValue, statusValue } from './field-values';
import { hostRulesFor, Policy, resetRulesFor, rulesFor } from './policy';
import { CaseStep } from '../case/case-types';

const valueOf = {
  status: statusValue,
  hostStatus: hostStatusValue,
  sense: senseValue,
  residual: residualValue,
  kernelLog: (outcome: CommandOutcome) => kernelLogValue(outcome.log),
};

const compareCommands = (step: number, a: PathRun, b: PathRun, x: CommandOutcome, y: CommandOutcome, policy: Policy): Divergence[] => {
  const scope = commandScope(x.command.cdb);
  const found: Divergence[] = [];
  for (const field of commandFields) {
    const masking = rulesFor(policy, field, scope, a.path, b.path);
    if (masking.some((rule) => rule.bytes === undefined)) continue;
    const values = field === 'data' ? dataValues(x, y, masking) : [valueOf[field](x), valueOf[field](y)];
    if (values[0] !== values[1]) found.push({ step, field, paths: [a.path, b.path], values });
  }
  return found;
};

const compareSteps = (step: number, caseStep: CaseStep, a: PathRun, b: PathRun, x: StepOutcome, y: StepOutcome, policy: Policy): Divergence[] => {
  if (x.kind === 'command' && y.kind === 'command') return compareCommands(step, a, b, x, y, policy);
  const intended =
    (caseStep.kind === 'reset' && resetRulesFor(policy, caseStep.reset, a.path, b.path).length > 0) ||
    (caseStep.kind === 'host' && hostRulesFor(policy, caseStep.event.kind, a.path, b.path).length > 0);
  // A reset or host event both paths carried out differs only in how each says it went.
  if (x.kind !== 'command' && x.kind === y.kind && !x.skipped && !y.skipped && x.delivery.completion !== y.delivery.completion && !intended) {
    return [{ step, field: 'status', paths: [a.path, b.path], values: [`${x.kind} ${x.delivery.completion}`, `${y.kind} ${y.delivery.completion}`] }];
  }
  return [];
};

const contentOf = (disk: DiskAfter, initial: Buffer): Buffer => disk.bytes ?? initial;

const firstDifferingBlock = (a: Buffer, b: Buffer): number => {
  for (let offset = 0; offset < Math.max(a.length, b.length); offset += blockBytes) {
    if (!a.subarray(offset, offset + blockBytes).equals(b.subarray(offset, offset + blockBytes))) return offset / blockBytes;
  }
  return -1;
};

const compareContent = (run: CaseRun, a: PathRun, b: PathRun): Divergence[] => {
  if (!a.disk || !b.disk || a.disk.digest === b.disk.digest) return [];
  const lba = firstDifferingBlock(contentOf(a.disk, run.initialContent), contentOf(b.disk, run.initialContent));
  const describe = (disk: DiskAfter) =>
    `${disk.bytes ? 'changed' : 'as it started'}, sha1 ${disk.digest.slice(0, 12)}; first differing block LBA ${lba}`;
  return [{ step: run.case.steps.length, field: 'content', paths: [a.path, b.path], values: [describe(a.disk), describe(b.disk)] }];
};

const hbaOf = (run: PathRun): string => run.path.split(':')[0];
const diskOf = (run: PathRun): string => run.path.split(':')[1].replace(/#\d+$/, '');

/** Two builds of QEMU: each path with itself on the other build, and nothing else, is the question. */
const buildPairs = (runs: readonly PathRun[]): [PathRun, PathRun][] =>
  runs
    .filter((run) => buildOf(run.path) === 'baseline')
    .flatMap((baseline) =>
      runs
        .filter((run) => buildOf(run.path) === 'patched' && withoutBuild(run.path) === withoutBuild(baseline.path))
        .map((patched): [PathRun, PathRun] => [baseline, patched]),
    );

/**
 * The pairs worth comparing in one build. Where a run has the whole square (two HBAs × two kinds of disk),
 * a pair that differs in both HBA and disk says nothing its two edges do not: if both edges agree so does
 * the diagonal, and if one differs it is reported there, named by the one thing that changed.
 */
const topologyPairs = (runs: readonly PathRun[]): [PathRun, PathRun][] =>
  runs.flatMap((a, index) =>
    runs
      .slice(index + 1)
      .filter(
        (b) =>
          hbaOf(a) === hbaOf(b) ||
          diskOf(a) === diskOf(b) ||
          !runs.some((corner) => hbaOf(corner) === hbaOf(a) && diskOf(corner) === diskOf(b)),
      )
      .map((b): [PathRun, PathRun] => [a, b]),
  );

/** Which pairs of paths a run's comparison looks at: each path with itself on the other build, or the topology's edges. */
export const comparedPairs = (runs: readonly PathRun[]): [PathRun, PathRun][] =>
  runs.some((run) => buildOf(run.path) !== undefined) ? buildPairs(runs) : topologyPairs(runs);

/**
 * Every way the paths of a run disagree that the policy does not explain: per step and per pair of paths,
 * each field of the answer; after the last step, each disk's content; and QEMU crashing or the guest
 * hanging, which no policy can mask.
 */
export const compareRuns = (run: CaseRun, policy: Policy): Divergence[] => {
  const divergences: Divergence[] = [];
  if (run.failure) {
    divergences.push({
      step: run.failure.step,
      field: run.failure.kind,
      paths: run.failure.paths ?? run.runs.map((path) => path.path),
      values: [run.failure.detail.split('\n')[0]],
    });
  }
  for (const [a, b] of comparedPairs(run.runs)) {
    const steps = Math.min(a.outcomes.length, b.outcomes.length);
    for (let step = 0; step < steps; step++) divergences.push(...compareSteps(step, run.case.steps[step], a, b, a.outcomes[step], b.outcomes[step], policy));
    divergences.push(...compareContent(run, a, b));
  }
  return divergences;
};
