import { StepDocument } from '../case/case-document';
import { defaultCasePaths } from '../case/case-paths';
import { quote } from '../case/message-text';
import { locateJsonSyntaxError } from '../case/json-syntax-error';
import { Case, CASE_FORMAT, CaseStep } from '../case/case-types';
import { UserError } from '../errors/user-error';
import { PathId } from '../qemu/topology';

// The binary format and the sg_raw scripts carry a case's commands in their own terms; what those terms
// have no place for (the paths, the disk, the provenance, a step's timeout and expectation) travels beside
// them as a small JSON object, an annotation, so that every format reads back the case it was written from.

/** A JSON object of some of a case document's fields. */
export type Annotation = Readonly<Record<string, unknown>>;

const caseFields = ['paths', 'disk', 'provenance'] as const;
const commandFields = ['timeoutMs', 'queued', 'expect'] as const;
const resetFields = ['queued', 'expect'] as const;
const hostFields = ['expect'] as const;

const definedOnly = (fields: Record<string, unknown>): Annotation =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

export const caseAnnotation = (testCase: Case): Annotation =>
  definedOnly({ paths: testCase.paths, disk: testCase.disk, provenance: testCase.provenance });

export const stepAnnotation = (step: CaseStep): Annotation =>
  step.kind === 'command'
    ? definedOnly({ timeoutMs: step.timeoutMs, queued: step.queued, expect: step.expect })
    : step.kind === 'reset'
      ? definedOnly({ queued: step.queued, expect: step.expect })
      : definedOnly({ expect: step.expect });

export const isEmptyAnnotation = (annotation: Annotation): boolean => Object.keys(annotation).length === 0;

/**
 * Reads an annotation's JSON text, naming `where` (the file, and the part of it) in any error. Only the
 * fields the annotation may carry are allowed: what they hold is checked with the rest of the case.
 */
export const readAnnotation = (text: string, allowed: readonly string[], where: string): Annotation => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { column, problem } = locateJsonSyntaxError(text);
    throw new UserError(`${where}: the annotation is not JSON: ${problem}, at column ${column}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${where}: the annotation must be a JSON object`);
  }
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new UserError(`${where}: annotation field ${quote(unknown)} is not one of ${allowed.join(', ')}`);
  return value as Annotation;
};

export const caseAnnotationFields: readonly string[] = caseFields;
export const stepAnnotationFields = (kind: CaseStep['kind']): readonly string[] => (kind === 'command' ? commandFields : kind === 'reset' ? resetFields : hostFields);

/** A case document from what a format decoded, for caseFromDocument to check like any case file. */
export const caseDocumentOf = (annotation: Annotation, steps: readonly StepDocument[]): unknown => ({
  ...annotation,
  format: CASE_FORMAT,
  steps,
});

/** A step document from the fields a format holds and the step's annotation. */
export const stepDocumentOf = (fields: StepDocument, annotation: Annotation): StepDocument => ({
  ...annotation,
  ...fields,
});

/**
 * The path a reset aimed at one path names by its position among the case's paths (or the default
 * topology's, where the annotation names none); the paths themselves are checked with the rest of the case.
 */
export const pathAt = (annotation: Annotation, index: number, where: string): string => {
  const paths: readonly unknown[] = Array.isArray(annotation.paths) ? annotation.paths : defaultCasePaths;
  const path = paths[index];
  if (typeof path !== 'string') throw new UserError(`${where}: a reset aimed at path ${index + 1}, but the case has ${paths.length} paths`);
  return path;
};

/** Where a reset aimed at one path is, among the case's paths or the default topology's. */
export const pathIndexOf = (testCase: Case, path: PathId): number => (testCase.paths ?? defaultCasePaths).indexOf(path);
