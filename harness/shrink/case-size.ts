import { Case, CaseStep } from '../case/case-types';

const nonZero = (bytes: Uint8Array | undefined): number => (bytes ? bytes.reduce((count, byte) => count + (byte === 0 ? 0 : 1), 0) : 0);

const stepWeight = (step: CaseStep): number[] =>
  step.kind !== 'command'
    ? [0, 0, 0, step.kind === 'host' && step.event.kind === 'resize' ? step.event.bytes : 0]
    : [nonZero(step.command.cdb), step.command.cdb.reduce((sum, byte) => sum + byte, 0), nonZero(step.command.dataOut), step.command.length];

/**
 * How big a case is, for deciding whether a candidate is smaller: fewer steps first, then fewer paths, then
 * fewer set CDB bytes and smaller field values, then fewer set data-out bytes, then shorter host buffers.
 * Compared lexicographically; a shrinker accepts only strictly smaller cases, so it always ends.
 */
export const caseSize = (testCase: Case): number[] => {
  const totals = testCase.steps.map(stepWeight).reduce((sum, weight) => sum.map((value, index) => value + weight[index]), [0, 0, 0, 0]);
  return [testCase.steps.length, testCase.paths?.length ?? Number.MAX_SAFE_INTEGER, ...totals];
};

export const isSmaller = (a: Case, b: Case): boolean => {
  const [x, y] = [caseSize(a), caseSize(b)];
  const differing = x.findIndex((value, index) => value !== y[index]);
  return differing >= 0 && x[differing] < y[differing];
};
