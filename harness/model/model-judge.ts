import { CaseRun, PathRun } from '../execute/case-run';
import { CaseStep, HostEvent, ResetStep } from '../case/case-types';
import { commandScope } from '../diff/command-scope';
import { Divergence } from '../diff/divergence';
import { Policy } from '../diff/policy';
import { Oracle } from '../diff/run-judge';
import { PathId } from '../qemu/topology';
import { blockBytes } from '../session/disk-content';
import { answerCommand, parametersArrived } from './answer-command';
import { contentDeparture } from './content-check';
import { describeModelAnswer } from './describe-answer';
import { DeviceState } from './device-state';
import { Departure, judgeAnswer } from './judge-answer';
import { loadModelPolicy, modelRulesFor } from './model-policy';
import { Requirements } from './requirement';
import { CommandOutcome, ResetOutcome } from '../execute/step-outcome';

const hbaOf = (path: PathId): string => path.split(':')[0];

/** A reset reaches this path's device when aimed at it, or (bus, host) at any device behind the same HBA. */
const resetReaches = (step: ResetStep, outcome: ResetOutcome, path: PathId): boolean =>
  !outcome.skipped || ((step.reset === 'bus' || step.reset === 'host') && step.path !== undefined && hbaOf(step.path) === hbaOf(path));

/** What a host event that reached the path's disk does to the model's device, and how the model says so. */
const hostEventOnModel = (event: HostEvent | undefined, state: DeviceState): string => {
  if (event?.kind === 'resize') {
    state.resize(event.bytes);
    return 'new capacity: CAPACITY DATA HAS CHANGED may follow';
  }
  if (event?.kind === 'plug') {
    state.pluggedIn();
    return 'a new device: a power-on or REPORTED LUNS DATA HAS CHANGED attention may follow';
  }
  if (event?.kind === 'unplug') {
    state.present = false;
    return 'no device: only the transport answers';
  }
  if (event?.kind === 'hold') {
    state.followed = false;
    return "requests held: the guest's driver may abort a command that outlives its timeout and reset the device, so the model no longer follows this path";
  }
  if (event?.kind === 'io-error') {
    state.followed = false;
    return 'a host I/O error armed: the model no longer follows this path';
  }
  return 'host event: the device is as it was';
};

/**
 * Whether the group of queued steps that begins at `start` has a reset in it: a reset in flight with
 * commands may end any of them (DID_RESET, an aborted task) or none, as the timing falls.
 */
const groupHasReset = (steps: readonly CaseStep[], start: number): boolean => {
  const queued = (step: CaseStep | undefined): boolean => step !== undefined && step.kind !== 'host' && step.queued === true;
  if (!queued(steps[start]) || queued(steps[start - 1])) return false;
  for (let index = start; queued(steps[index]); index++) if (steps[index].kind === 'reset') return true;
  return false;
};

/** Every order of `items`, the given one first. */
const orders = <T>(items: readonly T[]): T[][] =>
  items.length <= 1 ? [[...items]] : items.flatMap((first, index) => orders([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [first, ...rest]));

/** 6! = 720 orders: a group judged in each stays well under a millisecond a command. */
const maxPermutedGroup = 6;

interface StepVerdict {
  readonly modelAnswer: string;
  readonly departures: readonly Departure[];
}

/**
 * The third oracle: every path's answers, step by step, against a model of what SBC-4 and SPC-5 require of
 * a direct-access block device, and each disk's content after the case against the model's. Each path has
 * its own model, and each case a fresh one that knows only what the case itself shows: what an earlier case
 * left on the device (a stopped unit, a reservation, a choice the device made) is open, so that a departure
 * depends on its case alone and replays from its file.
 */
export class ModelJudge implements Oracle {
  constructor(private readonly policy: Policy) {}

  judge(run: CaseRun): Divergence[] {
    return run.runs.flatMap((pathRun) => this.judgePath(run, pathRun));
  }

  private judgeCommand(outcome: CommandOutcome, state: DeviceState, path: PathId): StepVerdict {
    const command = outcome.command;
    const answer = answerCommand(command, state);
    const scope = commandScope(command.cdb);
    const masked = modelRulesFor(this.policy, 'data', scope, path, Requirements.readReturnsWritten.id).flatMap((rule) => rule.bytes ?? []);
    const parametersKnown = parametersArrived(command, state.blockBytes);
    const departures = judgeAnswer({ answer, outcome, state, parametersKnown, masked });
    const excused = departures.filter((departure) =>
      modelRulesFor(this.policy, departure.field, scope, path, departure.requirement.id).some((rule) => departure.field !== 'data' || rule.bytes === undefined),
    );
    return { modelAnswer: describeModelAnswer(answer), departures: departures.filter((departure) => !excused.includes(departure)) };
  }

  /**
   * A group of queued commands, which the device may have run in any order (SAM-5 8.6: SIMPLE tasks): judged in
   * each serial order, the order they completed in first, and taken in the order with the fewest departures.
   * Past `maxPermutedGroup` commands, in the order they completed only.
   */
  private judgeGroup(group: readonly { step: number; outcome: CommandOutcome }[], state: DeviceState, path: PathId): { state: DeviceState; verdicts: Map<number, StepVerdict> } {
    if (group.length === 1) return { state, verdicts: new Map([[group[0].step, this.judgeCommand(group[0].outcome, state, path)]]) };
    const byCompletion = [...group].sort((a, b) => (a.outcome.completedAs ?? a.step) - (b.outcome.completedAs ?? b.step));
    let best: { state: DeviceState; verdicts: Map<number, StepVerdict>; departures: number } | undefined;
    for (const order of group.length <= maxPermutedGroup ? orders(byCompletion) : [byCompletion]) {
      const trial = state.clone();
      const verdicts = new Map(order.map(({ step, outcome }) => [step, this.judgeCommand(outcome, trial, path)] as const));
      const departures = [...verdicts.values()].reduce((sum, verdict) => sum + verdict.departures.length, 0);
      if (!best || departures < best.departures) best = { state: trial, verdicts, departures };
      if (departures === 0) break;
    }
    const chosen = best as { state: DeviceState; verdicts: Map<number, StepVerdict> };
    return { state: chosen.state, verdicts: chosen.verdicts };
  }

  private judgePath(run: CaseRun, pathRun: PathRun): Divergence[] {
    const path = pathRun.path;
    let state = DeviceState.afterEarlierCases(run.initialContent, blockBytes);
    const answers: string[] = [];
    const found: { step: number; departure: { field: Divergence['field']; expected: string; actual: string }; requirement: string }[] = [];
    const outcomes = pathRun.outcomes;
    for (let step = 0; step < outcomes.length; step++) {
      const outcome = outcomes[step];
      const caseStep: CaseStep | undefined = run.case.steps[step];
      if (groupHasReset(run.case.steps, step)) state.followed = false;
      if (outcome.kind === 'reset') {
        if (caseStep?.kind === 'reset' && resetReaches(caseStep, outcome, path)) state.reset();
        answers.push('reset: a unit attention may follow');
        continue;
      }
      if (outcome.kind === 'host') {
        const event = caseStep?.kind === 'host' && !outcome.skipped ? caseStep.event : undefined;
        answers.push(hostEventOnModel(event, state));
        continue;
      }
      // With the disk unplugged no device answers: what the transport says (no target, no node) is beyond the model.
      if (!state.present || !state.followed) {
        answers.push(state.present ? 'not followed: a host I/O error, a hold or a reset among queued commands came before' : 'no device: only the transport answers');
        continue;
      }
      const group: { step: number; outcome: CommandOutcome }[] = [{ step, outcome }];
      while (caseStep?.kind === 'command' && caseStep.queued && group.length < outcomes.length - step) {
        const next = step + group.length;
        const nextStep = run.case.steps[next];
        const nextOutcome = outcomes[next];
        if (nextStep?.kind !== 'command' || !nextStep.queued || nextOutcome.kind !== 'command') break;
        group.push({ step: next, outcome: nextOutcome });
      }
      const judged = this.judgeGroup(group, state, path);
      state = judged.state;
      for (const { step: member } of group) {
        const verdict = judged.verdicts.get(member) as StepVerdict;
        answers.push(verdict.modelAnswer);
        found.push(...verdict.departures.map((departure) => ({ step: member, departure, requirement: departure.requirement.id })));
      }
      step += group.length - 1;
    }
    const complete = pathRun.outcomes.length === run.case.steps.length && !run.failure;
    const content = complete && pathRun.disk && state.followed ? contentDeparture(run, pathRun.disk, state) : undefined;
    if (content) {
      answers.push('content as written');
      found.push({ step: run.case.steps.length, departure: { field: 'content', ...content }, requirement: Requirements.content.id });
    }
    return found.map(({ step, departure, requirement }) => ({
      step,
      field: departure.field,
      paths: [path],
      values: [departure.expected, departure.actual],
      model: { requirement, answers: answers.slice(0, step + 1) },
    }));
  }
}

/** The oracles beside the paths' comparison: the reference model, judging by the project's model policy, or none. */
export const modelOracles = (judgeByModel: boolean): Oracle[] => (judgeByModel ? [new ModelJudge(loadModelPolicy())] : []);
