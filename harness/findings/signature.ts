import { createHash } from 'node:crypto';
import { CaseRun } from '../execute/case-run';
import { commandScope, scopeText } from '../diff/command-scope';
import { Divergence, DivergenceField } from '../diff/divergence';
import { PathId } from '../qemu/topology';
import { buildOf } from '../execute/build';
import { residualClass } from './residual-class';
import { pathKind } from './path-sides';
import { parseSanitizerReport, SanitizerFrame } from '../qemu/sanitizer-report';
import { hostEventScope } from '../case/host-event';

/** A name for one cause: what makes two divergences the same finding. */
export interface Signature {
  /** Short and stable: the name of the finding's directory and its key in baselines. */
  readonly id: string;
  /** The same, readable (harness/findings/causes.ts says how it is made). */
  readonly text: string;
  /** Where in QEMU's source the cause lies, where its trace shows it (the files of the branches that explain it). */
  readonly location?: string;
}

/** One command and one field of its answer through which a cause was seen. */
export interface Sighting {
  readonly scope: string;
  readonly field: DivergenceField;
}

/** A divergence with the cause it is filed under, and every command and field the run showed that cause through. */
export interface SignedDivergence {
  readonly signature: Signature;
  readonly divergence: Divergence;
  readonly seenThrough: readonly Sighting[];
}

export const signature = (text: string, location?: string): Signature => ({
  id: createHash('sha1').update(text).digest('hex').slice(0, 12),
  text,
  ...(location !== undefined && { location }),
});

/** Which builds a failure took down, when a run compares two: `@patched` alone is a regression. */
const buildsOf = (paths: readonly PathId[]): string => {
  const builds = [...new Set(paths.map(buildOf).filter((build) => build !== undefined))].sort();
  return builds.length === 0 ? '' : `@${builds.join('+')}`;
};

/**
 * Along which axis two paths differ: the HBA (`megasas~virtio-scsi`) or the disk (`scsi-block~scsi-hd`),
 * without the part they share; both names when both differ; the build (`megasas:scsi-hd:baseline~patched`)
 * when a run compares two.
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

/** What a signature names the step by: its command's scope, `reset-<kind>`, `host-<event>`, or `after` for the content after the last step. */
export const stepScope = (run: CaseRun, step: number): string => {
  const caseStep = run.case.steps[step];
  if (!caseStep) return 'after';
  if (caseStep.kind === 'reset') return `reset-${caseStep.reset}`;
  return caseStep.kind === 'host' ? hostEventScope(caseStep.event) : scopeText(commandScope(caseStep.command.cdb));
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

/** How many of a sanitizer's frames name the place of a bug: the function that erred and the two that led there. */
const sanitizerFramesInSignature = 3;

/**
 * QEMU's generic layers between a device and memory: inline byte-order and access helpers in its headers, the
 * memory core and the DMA helpers. One device bug reaches the bad memory through whichever of them the
 * access took (a use-after-free met in dma_buf_rw() on one frame, in flatview_write_continue()'s load on
 * another), so the frames that name it are the first past them.
 */
const genericAccessLayer = /(^|\/)(include\/|softmmu\/(physmem|memory|dma-helpers)\.c$|util\/)/;

/** The frames that place a sanitizer's error: QEMU's own past its generic access layer, an inlined function once. */
const placingFrames = (frames: readonly SanitizerFrame[]): string[] => {
  const own = frames.filter((frame) => frame.file === undefined || !genericAccessLayer.test(frame.file));
  const placing = (own.length > 0 ? own : frames).map((frame) => frame.function);
  return placing.filter((name, index) => index === 0 || name !== placing[index - 1]).slice(0, sanitizerFramesInSignature);
};

/**
 * What a crash is, for grouping: what a sanitizer build's sanitizer reported (its error and the top frames
 * of QEMU's own code past its generic access layer, not the lines nor the addresses); QEMU's failed assertion (file, function and the
 * condition, not the line, which moves from release to release) wherever the case found it; the guest
 * kernel's panic (QEMU then exits 0, as -no-reboot has it), named by the kernel function it died in and its
 * module, not the offset, which moves from build to build; else the signal or exit status. Every crash of one
 * sanitizer error at one place, of one assertion or one panicking function is one finding, whatever command
 * led there, and the same one on another build.
 */
export const crashCause = (detail: string): string => {
  const report = parseSanitizerReport(detail);
  if (report) {
    const frames = placingFrames(report.frames);
    return `${report.sanitizer}: ${report.kind}${frames.length > 0 ? ` in ${frames.join(' < ')}` : ''}`;
  }
  const assertion = /([\w.-]+\.c):\d+: (\w+): Assertion [`'](.+?)' failed/.exec(detail);
  if (assertion) return `${assertion[1]} ${assertion[2]}: ${assertion[3]}`;
  if (/Kernel panic - not syncing/.test(detail)) {
    const at = [...detail.matchAll(/RIP: 0010:(\w+)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[(\w+)\])?/g)].at(-1);
    return `guest kernel panic${at ? ` in ${at[1]}${at[2] ? ` [${at[2]}]` : ''}` : ''}`;
  }
  return /killed by signal \d+|exited with status \d+/.exec(detail)?.[0] ?? 'unknown';
};

/**
 * What a target's failure is, for grouping: the target and its version, then what AddressSanitizer named
 * (the error and the top three frames of its stack) where tgtd was built with it, else the signal it died
 * of, or that it stopped. Never QEMU's: the first word is `target`.
 */
const targetCause = (detail: string): string => {
  const target = /^(\S+ [\d.]+)/.exec(detail)?.[1] ?? 'target';
  const sanitizer = /ERROR: AddressSanitizer: ([\w-]+)/.exec(detail);
  if (sanitizer) {
    const frames = [...detail.matchAll(/#\d+ 0x[0-9a-f]+ in (\w+)/g)].map((match) => match[1]).slice(0, 3);
    return `${target}:${sanitizer[1]}${frames.length > 0 ? ` in ${frames.join(' < ')}` : ''}`;
  }
  return `${target}:${/exited \((SIG\w+|status \d+)\)/.exec(detail)?.[1] ?? (/is stopped/.test(detail) ? 'stopped' : 'gone')}`;
};

/**
 * A crash is its cause and a hang the command in flight: which paths ran says nothing, one guest carried them
 * all. A target's failure is the target's cause, whatever command met it.
 */
export const failureSignature = (divergence: Divergence, run: CaseRun): Signature => {
  const detail = run.failure?.detail ?? '';
  if (divergence.field === 'target') return signature(`target:${targetCause(detail)}`);
  return divergence.field === 'crash'
    ? signature(`crash:${crashCause(detail)}${buildsOf(divergence.paths)}`)
    : signature(`hang:${stepScope(run, divergence.step)}${buildsOf(divergence.paths)}`);
};

/**
 * Two paths' difference in one field, by the axis they differ along and the class of each value: the
 * comparison of two builds path by path, and the corpus's behaviours, which count differences between paths.
 */
export const pairSignature = (divergence: Divergence, run: CaseRun): Signature => {
  const axis = axisOf(divergence.paths);
  const classes = axis.order.map((index) => valueClass(divergence, run, divergence.values[index] ?? divergence.values[0]));
  return signature(`${stepScope(run, divergence.step)}:${divergence.field}:${axis.text}:${classes.join('|')}`);
};
