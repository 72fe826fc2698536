import { createHash } from 'node:crypto';
import { CaseRun } from '../execute/case-run';
import { commandScope, scopeText } from '../diff/command-scope';
import { Divergence } from '../diff/divergence';
import { PathId } from '../qemu/topology';

/** What makes two divergences the same finding: where, what, between which kinds of path, and how. */
export interface Signature {
  /** Short and stable: the name of the finding's directory and its key in baselines. */
  readonly id: string;
  /** The same, readable: `<opcode[/page]>:<field>:<path>~<path>:<class>|<class>`. */
  readonly text: string;
}

const residualClass = (value: string, length: number): string => {
  const residual = Number(value);
  if (residual === 0) return 'none';
  if (residual === length) return 'all';
  if (residual < 0) return 'negative';
  return residual > length ? 'over' : 'partial';
};

/** A repeated pair (`#2`) is the same kind of path as the first. */
const pathKind = (path: PathId): string => path.replace(/#\d+$/, '');

const stepScope = (run: CaseRun, step: number): string => {
  const caseStep = run.case.steps[step];
  if (!caseStep) return 'after';
  return caseStep.kind === 'reset' ? `reset-${caseStep.reset}` : scopeText(commandScope(caseStep.command.cdb));
};

const valueClasses = (divergence: Divergence, run: CaseRun): string[] => {
  const step = run.case.steps[divergence.step];
  switch (divergence.field) {
    case 'residual':
      return divergence.values.map((value) => residualClass(value, step?.kind === 'command' ? step.command.length : 0));
    case 'data':
    case 'content':
      return ['differs'];
    case 'kernelLog':
      return divergence.values.map((value) => (value === 'none' ? 'none' : 'messages'));
    case 'crash':
    case 'hang':
      return [divergence.field];
    default:
      return [...divergence.values];
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

export const signatureOf = (divergence: Divergence, run: CaseRun): Signature => {
  if (divergence.field === 'crash' && run.failure) {
    const text = `crash:${crashCause(run.failure.detail)}:${[...new Set(divergence.paths.map(pathKind))].sort().join('~')}`;
    return { id: createHash('sha1').update(text).digest('hex').slice(0, 12), text };
  }
  const kinds = divergence.paths.map(pathKind);
  const classes = valueClasses(divergence, run);
  const pairs = kinds.map((kind, index) => `${kind}=${classes[index] ?? classes[0]}`).sort();
  const text = `${stepScope(run, divergence.step)}:${divergence.field}:${pairs.map((pair) => pair.split('=')[0]).join('~')}:${pairs
    .map((pair) => pair.split('=')[1])
    .join('|')}`;
  return { id: createHash('sha1').update(text).digest('hex').slice(0, 12), text };
};
