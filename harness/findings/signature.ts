import { createHash } from 'node:crypto';
import { CaseRun } from '../execute/case-run';
import { commandScope, scopeText } from '../diff/command-scope';
import { Divergence, DivergenceField } from '../diff/divergence';
import { PathId } from '../qemu/topology';
import { buildOf, withoutBuild } from '../execute/build';
import { residualClass } from './residual-class';

/** What makes two divergences the same finding: where, what, along which axis of the topology, and how. */
export interface Signature {
  /** Short and stable: the name of the finding's directory and its key in baselines. */
  readonly id: string;
  /** The same, readable: `<opcode[/page]>:<field>:<axis>:<class>|<class>`, the axis `model~<paths>` and the classes `<requirement>|<answer>` for a departure from the model. */
  readonly text: string;
}

/** A divergence with the signature it is filed under. */
export interface SignedDivergence {
  readonly signature: Signature;
  readonly divergence: Divergence;
}

const signature = (text: string): Signature => ({ id: createHash('sha1').update(text).digest('hex').slice(0, 12), text });

/** A repeated pair (`#2`) is the same kind of path as the first. */
export const pathKind = (path: PathId): string => withoutBuild(path).replace(/#\d+$/, '');

/** Which builds a failure took down, when a run compares two: `@patched` alone is a regression. */
const buildsOf = (paths: readonly PathId[]): string => {
  const builds = [...new Set(paths.map(buildOf).filter((build) => build !== undefined))].sort();
  return builds.length === 0 ? '' : `@${builds.join('+')}`;
};

/**
 * Along which axis two paths differ: the HBA (`megasas~virtio-scsi`) or the disk (`scsi-block~scsi-hd`),
 * without the part they share, so that one HBA's fault seen behind both kinds of disk is one finding;
 * both names when both differ; the build (`megasas:scsi-hd:baseline~patched`) when a run compares two.
 */
const axisOf = (paths: readonly PathId[]): { text: string; order: number[] } => {
  if (buildOf(paths[0]) !== buildOf(paths[1])) {
    return { text: `${pathKind(paths[0])}:baseline~patched`, order: buildOf(paths[0]) === 'baseline' ? [0, 1] : [1, 0] };
  }
  const [a, b] = paths.map((path) => pathKind(path).split(':'));
  const order = pathKind(paths[0]) <= pathKind(paths[1]) ? [0, 1] : [1, 0];
  const named = (parts: string[][]) => order.map((index) => parts[index]);
  if (a[0] === b[0] && a[1] !== b[1]) return { text: named([[a[1]], [b[1]]]).join('~'), order };
  if (a[1] === b[1] && a[0] !== b[0]) return { text: named([[a[0]], [b[0]]]).join('~'), order };
  return { text: named([a, b]).map((parts) => parts.join(':')).join('~'), order };
};

/** What a signature names the step by: its command's scope, `reset-<kind>`, or `after` for the content after the last step. */
export const stepScope = (run: CaseRun, step: number): string => {
  const caseStep = run.case.steps[step];
  if (!caseStep) return 'after';
  return caseStep.kind === 'reset' ? `reset-${caseStep.reset}` : scopeText(commandScope(caseStep.command.cdb));
};

const valueClass = (divergence: Divergence, run: CaseRun, value: string): string => {
  const step = run.case.steps[divergence.step];
  switch (divergence.field) {
    case 'residual':
      return residualClass(Number(value), step?.kind === 'command' ? step.command.length : 0);
    case 'sense':
      return value.replace(/\/0x[0-9a-f]{2}$/, '');
    case 'data':
    case 'content':
      return 'differs';
    case 'kernelLog':
      return value === 'none' ? 'none' : 'messages';
    default:
      return value;
  }
};

/**
 * What a crash is, for grouping: QEMU's failed assertion (file, line, function) wherever the case found it,
 * else the signal or exit status. Every crash of one assertion is one finding, whatever command led there.
 */
const crashCause = (detail: string): string => {
  const assertion = /([\w.-]+\.c):(\d+): (\w+): Assertion/.exec(detail);
  if (assertion) return `${assertion[1]}:${assertion[2]} ${assertion[3]}`;
  return /killed by signal \d+|exited with status \d+/.exec(detail)?.[0] ?? 'unknown';
};

/**
 * A departure from the reference model, by class: the requirement it breaks and what the path answered (for
 * data and content, that the bytes differ). The answers the model would have taken are left to the report:
 * they vary with the CDB and the device's state, and one requirement broken one way is one finding.
 */
const modelClasses = (divergence: Divergence, run: CaseRun, requirement: string): string[] => [
  requirement,
  divergence.field === 'data' || divergence.field === 'content' ? 'differs' : valueClass(divergence, run, divergence.values[1]),
];

/**
 * Which paths depart from the model alike: the HBAs and disks (`megasas+virtio-scsi:scsi-block+scsi-hd`)
 * where they are every combination of them, as a bug in the SCSI layer all paths share usually is, else
 * each path (`megasas:scsi-hd,virtio-scsi:scsi-hd`).
 */
const modelAxis = (paths: readonly PathId[]): string => {
  const kinds = [...new Set(paths.map(pathKind))].sort();
  const hbas = [...new Set(kinds.map((kind) => kind.split(':')[0]))];
  const disks = [...new Set(kinds.map((kind) => kind.split(':')[1]))].sort();
  return kinds.length === hbas.length * disks.length ? `${hbas.join('+')}:${disks.join('+')}` : kinds.join(',');
};

const modelText = (divergence: Divergence, run: CaseRun, requirement: string): string =>
  `${stepScope(run, divergence.step)}:${divergence.field}:model~${modelAxis(divergence.paths)}:${modelClasses(divergence, run, requirement).join('|')}`;

/**
 * A crash or a hang takes every path of the guest down with it, so which paths ran says nothing: a crash is
 * its cause, a hang the command in flight. A departure from the model is its own class: `model~<paths>`.
 */
export const signatureOf = (divergence: Divergence, run: CaseRun): Signature => {
  if (divergence.model) return signature(modelText(divergence, run, divergence.model.requirement));
  if (divergence.field === 'crash' && run.failure) return signature(`crash:${crashCause(run.failure.detail)}${buildsOf(divergence.paths)}`);
  if (divergence.field === 'hang') return signature(`hang:${stepScope(run, divergence.step)}${buildsOf(divergence.paths)}`);
  const axis = axisOf(divergence.paths);
  const classes = axis.order.map((index) => valueClass(divergence, run, divergence.values[index] ?? divergence.values[0]));
  return signature(`${stepScope(run, divergence.step)}:${divergence.field}:${axis.text}:${classes.join('|')}`);
};

/** The field that says most about a difference: the others of the same step and pair usually follow from it. */
const leadingOrder: readonly DivergenceField[] = ['crash', 'hang', 'hostStatus', 'status', 'sense', 'residual', 'data', 'kernelLog', 'content'];

/**
 * One signature per step and pair of paths, from the field that leads: a path that fails a command differs
 * in status, sense, residual and data at once, and that is one finding, not four.
 */
export const signedDivergences = (divergences: readonly Divergence[], run: CaseRun): SignedDivergence[] => {
  const leading = new Map<string, Divergence>();
  for (const divergence of divergences) {
    const key = `${divergence.step} ${divergence.model ? 'model ' : ''}${[...divergence.paths].sort().join(' ')}`;
    const current = leading.get(key);
    if (!current || leadingOrder.indexOf(divergence.field) < leadingOrder.indexOf(current.field)) leading.set(key, divergence);
  }
  return mergeModelDepartures([...leading.values()], run).map((divergence) => ({ signature: signatureOf(divergence, run), divergence }));
};

/**
 * Paths that depart from the model at one step in one field, by the same classes, are one finding naming
 * them all: a bug every path shares is one signature, not one per path.
 */
const mergeModelDepartures = (divergences: readonly Divergence[], run: CaseRun): Divergence[] => {
  const others: Divergence[] = [];
  const byClass = new Map<string, Divergence>();
  for (const divergence of divergences) {
    if (!divergence.model) {
      others.push(divergence);
      continue;
    }
    const key = `${divergence.step} ${divergence.field} ${modelClasses(divergence, run, divergence.model.requirement).join('|')}`;
    const earlier = byClass.get(key);
    byClass.set(key, earlier ? { ...earlier, paths: [...earlier.paths, ...divergence.paths].sort() } : divergence);
  }
  return [...others, ...byClass.values()];
};
