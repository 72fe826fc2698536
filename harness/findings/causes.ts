import { comparedPairs } from '../diff/compare-runs';
import { Divergence, DivergenceField } from '../diff/divergence';
import { buildOf } from '../execute/build';
import { CaseRun } from '../execute/case-run';
import { StepOutcome } from '../execute/step-outcome';
import { CodeBranch } from '../qemu/trace/code-branch';
import { requirementById, Requirements } from '../model/requirement';
import { PathId } from '../qemu/topology';
import { AnswerPart, answerClass, answerClassText, partOf, transportClass } from './answer-class';
import { diskOf, hbasOf, sideName } from './path-sides';
import { branchSource } from '../qemu/trace/branch-source';
import { failureSignature, pairSignature, signature, SignedDivergence, Sighting, stepScope } from './signature';

/** Within one part of an answer, the field that says most: the others usually follow from it. */
const leadingOrder: readonly DivergenceField[] = ['hostStatus', 'status', 'sense', 'residual', 'data', 'kernelLog', 'content'];
const leading = (divergences: readonly Divergence[]): Divergence =>
  [...divergences].sort((a, b) => leadingOrder.indexOf(a.field) - leadingOrder.indexOf(b.field))[0];

/** A cause as one run shows it, before it is named. */
interface Attributed {
  readonly text: string;
  /** The branches that explain it, where QEMU's trace does. */
  readonly branches?: readonly string[];
  readonly divergence: Divergence;
  readonly seenThrough: readonly Sighting[];
}

const sightings = (run: CaseRun, divergences: readonly Divergence[]): Sighting[] =>
  divergences.map((divergence) => ({ scope: stepScope(run, divergence.step), field: divergence.field }));

/** One step in one part of the answer: what each path answered there, and the branches QEMU took for it. */
class StepPart {
  constructor(
    private readonly run: CaseRun,
    readonly step: number,
    readonly part: AnswerPart,
  ) {}

  outcome(path: PathId): StepOutcome | undefined {
    return this.run.runs.find((pathRun) => pathRun.path === path)?.outcomes[this.step];
  }

  /** The branches that decide this part of the answer, as QEMU's trace showed them on `path`. */
  private taken(path: PathId): CodeBranch[] {
    const outcome = this.outcome(path);
    if (outcome?.kind !== 'command' || (this.part !== 'result' && this.part !== 'transfer')) return [];
    const part = this.part;
    return outcome.branches.filter((branch) => branch.decides.includes(part));
  }

  branches(path: PathId): string[] {
    return this.taken(path).map((branch) => branch.name);
  }

  /**
   * The branches every path of `group` took and no path of `others` did: where QEMU's code set the group
   * apart. An error branch among them names it alone; a route (an LD I/O frame) only where none does.
   */
  distinctBranches(group: readonly PathId[], others: readonly PathId[]): string[] {
    const elsewhere = new Set(others.flatMap((path) => this.branches(path)));
    const [first, ...rest] = group;
    const distinct = this.taken(first).filter((branch) => !elsewhere.has(branch.name) && rest.every((path) => this.branches(path).includes(branch.name)));
    const errors = distinct.filter((branch) => !branch.route);
    return (errors.length > 0 ? errors : distinct).map((branch) => branch.name).sort();
  }

  classText(path: PathId, field: DivergenceField): string {
    return answerClassText(answerClass(this.part, this.outcome(path), field));
  }

  /** What the transport said on `path` (its host status), without the device's sense. */
  transportText(path: PathId): string {
    return answerClassText(transportClass(answerClass(this.part, this.outcome(path), 'hostStatus')));
  }

  get scope(): string {
    return stepScope(this.run, this.step);
  }
}

/**
 * A departure explained by QEMU's code: the branches the departing paths took that the others did not. The
 * opcode, the answer and the paths are left to the report: the same branch is one cause through whatever
 * command reached it, whatever the device then answered (megasas letting a target see more data than the
 * guest gave is one bug, whether the target then says GOOD or MISCOMPARE), and the branch says whose code
 * it is.
 */
const branchText = (at: StepPart, branches: readonly string[]): string => `*:${at.part}:via ${branches.join('+')}`;

/**
 * Paths that depart from the model at one step in one part of the answer, grouped by what they answered and
 * the branches that set them apart from the paths that did not, or without such a branch by kind of disk:
 * each group is one cause.
 */
const modelCauses = (run: CaseRun, at: StepPart, departures: readonly Divergence[], all: readonly PathId[]): { causes: Attributed[]; departing: Set<PathId> } => {
  const byPath = new Map<PathId, Divergence[]>();
  for (const divergence of departures) byPath.set(divergence.paths[0], [...(byPath.get(divergence.paths[0]) ?? []), divergence]);
  const departing = new Set(byPath.keys());
  const conforming = all.filter((path) => !departing.has(path));
  const groups = new Map<string, { paths: PathId[]; lead: Divergence; branches: string[]; answer: string; divergences: Divergence[] }>();
  for (const [path, divergences] of byPath) {
    const lead = leading(divergences);
    const branches = at.distinctBranches([path], conforming);
    // Without a branch, scsi-hd's departure is QEMU's emulation and scsi-block's the target's: one cause per kind
    // of disk; a transport's departure (a host status where the device had an answer) is the HBAs' whatever the disk.
    const byTransport = lead.model?.requirement === Requirements.transport.id;
    const answer = byTransport ? at.transportText(path) : at.classText(path, lead.field);
    const key = branches.length > 0 ? branches.join('+') : `${answer} ${lead.model?.requirement} ${byTransport ? 'transport' : diskOf(path)}`;
    const group = groups.get(key);
    if (group) {
      group.paths.push(path);
      group.divergences.push(...divergences);
    } else groups.set(key, { paths: [path], lead, branches, answer, divergences: [...divergences] });
  }
  const causes = [...groups.values()].map(({ paths, lead, branches, answer, divergences }): Attributed => {
    const requirement = lead.model?.requirement ?? '';
    const scope = requirementById(requirement)?.checkedBy === 'any' ? '*' : at.scope;
    // Named by its kind of disk alone, whichever HBAs carried it: which paths of that kind could show it in a
    // run (another may have met a unit attention first, or an HBA's branch) says nothing about the cause. A
    // transport's departure is named by the HBAs that depart: with three or more, they are the odd ones out.
    const named = requirement === Requirements.transport.id ? hbasOf(paths) : diskOf(paths[0]);
    const text = branches.length > 0 ? branchText(at, branches) : `${scope}:${at.part}:model~${named}:${requirement}|${answer}`;
    return { text, branches, divergence: { ...lead, paths: [...paths].sort() }, seenThrough: sightings(run, divergences) };
  });
  return { causes, departing };
};

/** The paths that answered alike, as far as the comparison looked: joined by every compared pair that did not differ. */
const agreeingGroups = (run: CaseRun, paths: readonly PathId[], differing: readonly Divergence[]): PathId[][] => {
  const parent = new Map(paths.map((path) => [path, path]));
  const root = (path: PathId): PathId => {
    const up = parent.get(path) ?? path;
    return up === path ? path : root(up);
  };
  const differs = new Set(differing.map((divergence) => [...divergence.paths].sort().join(' ')));
  for (const [a, b] of comparedPairs(run.runs)) {
    if (!parent.has(a.path) || !parent.has(b.path) || differs.has([a.path, b.path].sort().join(' '))) continue;
    parent.set(root(a.path), root(b.path));
  }
  const groups = new Map<PathId, PathId[]>();
  for (const path of paths) groups.set(root(path), [...(groups.get(root(path)) ?? []), path]);
  return [...groups.values()];
};

/**
 * Paths that the model does not fault but that differ from each other: compared once, as groups that
 * answered alike. Each group whose answer came from a QEMU branch the others did not take departs, named by
 * that branch. The groups left are named side by side where they split along an axis (kinds of disk, HBAs)
 * or none is the largest; otherwise the odd group out departs from the majority.
 */
const splitCauses = (run: CaseRun, at: StepPart, differing: readonly Divergence[], paths: readonly PathId[]): Attributed[] => {
  let groups = agreeingGroups(run, paths, differing);
  // A comparison's policy can mask a difference between two paths and not between a third and either.
  if (groups.length < 2) groups = differing[0].paths.map((path) => [path]);
  const field = leading(differing).field;
  const members = groups.flat();
  const evidence = (group: readonly PathId[], reference: readonly PathId[]): Divergence => ({
    step: at.step,
    field,
    paths: [...group, ...reference],
    values: [...group, ...reference].map((path) => at.classText(path, field)),
  });
  const seen = sightings(run, differing);
  const explained = groups
    .map((group) => ({ group, branches: at.distinctBranches(group, members.filter((path) => !group.includes(path))) }))
    .filter((each) => each.branches.length > 0);
  const causes = explained.map(({ group, branches }): Attributed => ({
    text: branchText(at, branches),
    branches,
    divergence: evidence(group, members.filter((path) => !group.includes(path))),
    seenThrough: seen,
  }));
  // What is left differs without a branch to show for it: the minority departs, or an even split names every side.
  const rest = groups.filter((group) => !explained.some((each) => each.group === group));
  if (rest.length < 2) return causes;
  // Named against the paths left, so that a split reads the same whether or not a branch explained a path beside it.
  const side = (group: readonly PathId[]) => `${sideName(group, rest.flat())} ${at.classText(group[0], field)}`;
  const names = rest.map((group) => sideName(group, rest.flat()));
  // Groups that are whole kinds of disk or whole HBAs (scsi-block against scsi-hd) are a split along that
  // axis, named side by side however many paths each holds; an odd path out is named against the majority.
  const alongAnAxis = names.every((name) => /^[\w-]+(\+[\w-]+)*$/.test(name));
  // Where whole HBAs split, how they report what moved (their residual) and which fail a command in the
  // transport (a host status) is their transports' doing whatever the command: one cause through every
  // opcode. A split of disks or of single paths, or in status, sense or data, stays the command's.
  const hbasSplit = alongAnAxis && rest.every((group, index) => !group.some((path) => names[index] === diskOf(path)));
  const scope = hbasSplit && (at.part === 'transfer' || field === 'hostStatus') ? '*' : at.scope;
  const sizes = rest.map((group) => group.length);
  const largest = Math.max(...sizes);
  if (!alongAnAxis && sizes.filter((size) => size === largest).length === 1) {
    const majority = rest[sizes.indexOf(largest)];
    return [
      ...causes,
      ...rest
        .filter((group) => group !== majority)
        .map((group) => ({ text: `${scope}:${at.part}:${side(group)} ~ others ${at.classText(majority[0], field)}`, divergence: evidence(group, majority), seenThrough: seen })),
    ];
  }
  const sides = rest.map(side).sort();
  return [...causes, { text: `${scope}:${at.part}:${sides.join(' ~ ')}`, divergence: evidence(rest.flat(), []), seenThrough: seen }];
};

const isBuildComparison = (divergence: Divergence): boolean => divergence.paths.some((path) => buildOf(path) !== undefined);

/**
 * A run's divergences as causes, each named once however many commands, fields and pairs of paths showed
 * it. A crash is its assertion and a hang its command. Otherwise, step by step and part by part of the
 * answer (result, transfer, kernel log, content): paths that depart from the reference model are grouped by
 * what they answered; the other paths are compared once, as groups that answered alike, and the departing
 * group named; a departure that QEMU's trace explains by a branch the other paths did not take is named by
 * that branch and the answer, whatever the opcode. Two builds are compared path by path, as pairs.
 */
export const causesOf = (divergences: readonly Divergence[], run: CaseRun): SignedDivergence[] => {
  const attributed: Attributed[] = [];
  const byStepPart = new Map<string, { step: number; part: AnswerPart; divergences: Divergence[] }>();
  for (const divergence of divergences) {
    if (divergence.field === 'crash' || divergence.field === 'hang' || divergence.field === 'target') {
      attributed.push({ text: failureSignature(divergence, run).text, divergence, seenThrough: sightings(run, [divergence]) });
    } else if (isBuildComparison(divergence)) {
      attributed.push({ text: pairSignature(divergence, run).text, divergence, seenThrough: sightings(run, [divergence]) });
    } else {
      const part = partOf(divergence.field);
      const key = `${divergence.step} ${part}`;
      const entry = byStepPart.get(key) ?? { step: divergence.step, part, divergences: [] };
      entry.divergences.push(divergence);
      byStepPart.set(key, entry);
    }
  }
  const all = run.runs.map((pathRun) => pathRun.path);
  for (const { step, part, divergences: here } of byStepPart.values()) {
    const at = new StepPart(run, step, part);
    const reached = all.filter((path) => part === 'content' || at.outcome(path) !== undefined);
    const { causes, departing } = modelCauses(run, at, here.filter((divergence) => divergence.model), reached);
    attributed.push(...causes);
    const differing = here.filter((divergence) => !divergence.model && divergence.paths.every((path) => !departing.has(path)));
    if (differing.length > 0) attributed.push(...splitCauses(run, at, differing, reached.filter((path) => !departing.has(path))));
  }
  return mergeByCause(attributed);
};

/** One entry per cause in a run: the first divergence that showed it, and every sighting of it. */
const mergeByCause = (attributed: readonly Attributed[]): SignedDivergence[] => {
  const merged = new Map<string, { first: Attributed; seenThrough: Sighting[] }>();
  for (const each of attributed) {
    const earlier = merged.get(each.text);
    if (earlier) earlier.seenThrough.push(...each.seenThrough);
    else merged.set(each.text, { first: each, seenThrough: [...each.seenThrough] });
  }
  return [...merged.values()].map(({ first, seenThrough }) => ({ signature: signature(first.text, locationOf(first.branches ?? [])), divergence: first.divergence, seenThrough }));
};

/** The source files of the branches that explain a cause; undefined where none is QEMU's. */
const locationOf = (branches: readonly string[]): string | undefined => {
  const files = [...new Set(branches.flatMap((name) => branchSource(name.split(' ')[0]) ?? []))];
  return files.length > 0 ? `${files.join(', ')} (traced: ${branches.join(', ')})` : undefined;
};
