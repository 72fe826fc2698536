import { cdbToHex } from '../scsi/cdb';
import { CaseDocument, StepDocument } from './case-document';
import { Case, CASE_FORMAT, CaseProvenance, CaseStep } from './case-types';
import { formatHexWithRuns } from './hex';

/** Recreated key by key so that the order is the format's, whatever order the object was built in. */
const provenanceDocument = (provenance: CaseProvenance): CaseProvenance => ({
  seed: provenance.seed,
  fastCheckPath: provenance.fastCheckPath,
  qemuVersion: provenance.qemuVersion,
  baselineQemuVersion: provenance.baselineQemuVersion,
  harnessVersion: provenance.harnessVersion,
  signature: provenance.signature,
  createdAt: provenance.createdAt,
  note: provenance.note,
});

/** Free-form objects are written with sorted keys, so that equal expectations are equal text. */
const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines properties, so a key named __proto__ stays a key.
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, child]) => [key, sortedKeys(child)]),
  );
};

const stepDocument = (step: CaseStep): StepDocument => {
  const expect = step.expect && (sortedKeys(step.expect) as Record<string, unknown>);
  if (step.kind === 'reset') return { reset: step.reset, path: step.path, queued: step.queued, expect };
  if (step.kind === 'host') {
    const event = step.event;
    return {
      host: event.kind,
      bytes: event.kind === 'resize' ? event.bytes : undefined,
      io: event.kind === 'io-error' ? event.io : undefined,
      sector: event.kind === 'io-error' ? event.sector : undefined,
      ms: event.kind === 'hold' ? event.ms : undefined,
      expect,
    };
  }
  const { cdb, direction, length, dataOut } = step.command;
  return {
    cdb: cdbToHex(cdb),
    dir: direction,
    // A none step's 0-byte buffer is the default, and most such steps are written without one.
    length: direction === 'none' && length === 0 ? undefined : length,
    data: dataOut && formatHexWithRuns(dataOut),
    timeoutMs: step.timeoutMs,
    queued: step.queued,
    expect,
  };
};

/**
 * Writes a case as canonical text: the same case always gives the same bytes, keys in the format's order,
 * hex spaced with long runs as `XX*N`, 2-space JSON and a final newline; parseCase reads it back equal.
 */
export const serializeCase = (testCase: Case): string => {
  const document: CaseDocument = {
    format: CASE_FORMAT,
    paths: testCase.paths,
    disk: testCase.disk && { bytes: testCase.disk.bytes, content: testCase.disk.content },
    provenance: testCase.provenance && provenanceDocument(testCase.provenance),
    steps: testCase.steps.map(stepDocument),
  };
  // JSON.stringify leaves out the fields that are undefined.
  return `${JSON.stringify(document, null, 2)}\n`;
};
