import { UserError } from '../errors/user-error';
import { PathId } from '../qemu/topology';
import { cdb } from '../scsi/cdb';
import { ScsiCommand } from '../scsi/command';
import { CaseDocument, CommandStepDocument, HostStepDocument, ResetStepDocument, StepDocument } from './case-document';
import { cdbLimitOf, checkCasePaths, defaultCasePaths } from './case-paths';
import { CaseProblem } from './case-problem';
import { Case, CASE_FORMAT, CaseStep, CommandStep, HostEvent, HostStep, ResetStep, StepExpectation } from './case-types';
import { FieldPath } from './field-path';
import { HexSyntax, InvalidHex, parseHex } from './hex';
import { nestsDeeperThan } from './json-depth';
import { locateJsonSyntaxError } from './json-syntax-error';
import { describeValue, quote } from './message-text';
import { checkCaseSchema } from './schema-check';

/** The largest host buffer a step may ask for unless the caller allows more. */
export const DEFAULT_MAX_BUFFER_BYTES = 16 * 1024 * 1024;

export interface ParseCaseOptions {
  /** The largest `length` a step may have; default DEFAULT_MAX_BUFFER_BYTES. */
  readonly maxBufferBytes?: number;
}

/** Far beyond any expectation a tool writes, and shallow enough for JSON.stringify to write it back. */
const MAX_EXPECT_DEPTH = 64;

const BYTE_ORDER_MARK = '\uFEFF';

/** JSON.parse for a file a person may have written, with a byte order mark, and a one-line error if it is not JSON. */
export const parseJson = (fileText: string, source: string): unknown => {
  const text = fileText.startsWith(BYTE_ORDER_MARK) ? fileText.slice(1) : fileText;
  try {
    return JSON.parse(text);
  } catch {
    const { line, column, problem } = locateJsonSyntaxError(text);
    throw new UserError(`${source}:${line}:${column}: invalid JSON: ${problem}`);
  }
};

/** Checked ahead of the schema, so that a file of another version is named as such, not as a heap of field errors. */
const checkFormat = (document: unknown): void => {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CaseProblem([], `must be a JSON object with "format": "${CASE_FORMAT}", not ${describeValue(document)}`);
  }
  if (!('format' in document)) throw new CaseProblem(['format'], `required but missing; write "${CASE_FORMAT}"`);
  const { format } = document;
  if (typeof format !== 'string') {
    throw new CaseProblem(['format'], `must be "${CASE_FORMAT}", not ${describeValue(format)}`);
  }
  if (format !== CASE_FORMAT) {
    throw new CaseProblem(['format'], `unknown format ${quote(format)}; this hbadiff reads ${CASE_FORMAT}`);
  }
};

const decodeHex = (text: string, syntax: HexSyntax, field: FieldPath): Buffer => {
  try {
    return parseHex(text, syntax);
  } catch (error) {
    if (error instanceof InvalidHex) throw new CaseProblem(field, error.message);
    throw error;
  }
};

/** What every step is checked against: the case's paths, or the default topology's. */
interface StepContext {
  readonly paths: readonly PathId[];
  readonly pathsAreDefault: boolean;
  readonly maxBufferBytes: number;
}

const commandOf = (step: CommandStepDocument, field: FieldPath, context: StepContext): ScsiCommand => {
  const cdbBytes = decodeHex(step.cdb, { runs: false, maxBytes: context.maxBufferBytes }, [...field, 'cdb']);
  const { maxBytes, limitedBy } = cdbLimitOf(context.paths);
  if (cdbBytes.length === 0) throw new CaseProblem([...field, 'cdb'], 'empty; a CDB has at least 1 byte');
  if (cdbBytes.length > maxBytes) {
    throw new CaseProblem([...field, 'cdb'], `${cdbBytes.length} bytes, but ${limitedBy} carries at most ${maxBytes}`);
  }
  const direction = step.dir;
  if (step.length === undefined && direction !== 'none') {
    throw new CaseProblem([...field, 'length'], `required for dir "${direction}"`);
  }
  const length = step.length ?? 0;
  if (length > context.maxBufferBytes) {
    throw new CaseProblem([...field, 'length'], `${length} is over the maximum of ${context.maxBufferBytes} bytes`);
  }
  const command = { cdb: cdb(cdbBytes), direction, length };
  if (direction !== 'to-device') {
    if (step.data !== undefined) {
      throw new CaseProblem([...field, 'data'], `only a to-device step carries data, and this one is "${direction}"`);
    }
    return command;
  }
  if (step.data === undefined) {
    throw new CaseProblem([...field, 'data'], 'required for dir "to-device": the bytes to write, as hex');
  }
  const dataOut = decodeHex(step.data, { runs: true, maxBytes: context.maxBufferBytes }, [...field, 'data']);
  if (dataOut.length !== length) {
    throw new CaseProblem([...field, 'data'], `${dataOut.length} bytes, but length is ${length}`);
  }
  return { ...command, dataOut };
};

const expectationOf = (step: StepDocument, field: FieldPath): { expect?: StepExpectation } => {
  if (step.expect === undefined) return {};
  if (nestsDeeperThan(step.expect, MAX_EXPECT_DEPTH)) {
    throw new CaseProblem([...field, 'expect'], `nests deeper than ${MAX_EXPECT_DEPTH} levels`);
  }
  return { expect: step.expect };
};

const commandStepOf = (step: CommandStepDocument, field: FieldPath, context: StepContext): CommandStep => ({
  kind: 'command',
  command: commandOf(step, field, context),
  ...(step.timeoutMs !== undefined && { timeoutMs: step.timeoutMs }),
  ...(step.queued === true && { queued: true as const }),
  ...expectationOf(step, field),
});

const resetStepOf = (step: ResetStepDocument, field: FieldPath, context: StepContext): ResetStep => {
  const path = context.paths.find((candidate) => candidate === step.path);
  if (step.path !== undefined && path === undefined) {
    const among = context.pathsAreDefault ? "the default topology's paths" : "the case's paths";
    throw new CaseProblem([...field, 'path'], `${quote(step.path)} is not among ${among}: ${context.paths.join(', ')}`);
  }
  return {
    kind: 'reset',
    reset: step.reset,
    ...(path !== undefined && { path }),
    ...(step.queued === true && { queued: true as const }),
    ...expectationOf(step, field),
  };
};

/** The largest disk a resize may ask for: QEMU makes the host file that large (sparse), so keep it within a test machine's disk. */
export const MAX_RESIZE_BYTES = 1024 * 1024 * 1024;
const resizeBlockBytes = 512;
/** The longest hold: its commands wait that long in QEMU, inside the host's patience with one request to the guest (30 s). */
export const MAX_HOLD_MS = 10_000;

/** Which of a host step's fields each event takes, with what it means where it is required. */
const hostEventFields: Record<HostStepDocument['host'], Partial<Record<'bytes' | 'io' | 'sector' | 'ms', string>>> = {
  pause: {},
  unplug: {},
  plug: {},
  snapshot: {},
  resize: { bytes: "the disks' new size in bytes" },
  'io-error': { io: 'read or write, the requests that fail', sector: 'the 512-byte sector they cover' },
  hold: { ms: 'how long QEMU holds the reads and writes, in milliseconds' },
};

const hostEventOf = (step: HostStepDocument, field: FieldPath): HostEvent => {
  const takes = hostEventFields[step.host];
  for (const name of ['bytes', 'io', 'sector', 'ms'] as const) {
    const what = takes[name];
    if (what === undefined && step[name] !== undefined) {
      const owners = Object.entries(hostEventFields).filter(([, fields]) => name in fields).map(([event]) => event);
      throw new CaseProblem([...field, name], `only ${owners.join(' and ')} takes it, not ${step.host}`);
    }
    if (what !== undefined && step[name] === undefined) throw new CaseProblem([...field, name], `required for ${step.host}: ${what}`);
  }
  if (step.host === 'resize') {
    const bytes = step.bytes as number;
    if (bytes % resizeBlockBytes !== 0) throw new CaseProblem([...field, 'bytes'], `${bytes} is not a whole number of ${resizeBlockBytes}-byte blocks`);
    if (bytes > MAX_RESIZE_BYTES) throw new CaseProblem([...field, 'bytes'], `${bytes} is over the maximum of ${MAX_RESIZE_BYTES} bytes`);
    return { kind: 'resize', bytes };
  }
  if (step.host === 'hold') {
    const ms = step.ms as number;
    if (ms > MAX_HOLD_MS) throw new CaseProblem([...field, 'ms'], `${ms} is over the maximum of ${MAX_HOLD_MS} ms`);
    return { kind: 'hold', ms };
  }
  if (step.host === 'io-error') return { kind: 'io-error', io: step.io as 'read' | 'write', sector: step.sector as number };
  return { kind: step.host };
};

const hostStepOf = (step: HostStepDocument, field: FieldPath): HostStep => ({ kind: 'host', event: hostEventOf(step, field), ...expectationOf(step, field) });

const isResetStep = (step: StepDocument): step is ResetStepDocument => 'reset' in step;
const isHostStep = (step: StepDocument): step is HostStepDocument => 'host' in step;

const caseOf = (document: CaseDocument, maxBufferBytes: number): Case => {
  const paths = document.paths && checkCasePaths(document.paths);
  const context: StepContext = { paths: paths ?? defaultCasePaths, pathsAreDefault: !paths, maxBufferBytes };
  const steps = document.steps.map((step, index): CaseStep => {
    const field = ['steps', index];
    if (isResetStep(step)) return resetStepOf(step, field, context);
    return isHostStep(step) ? hostStepOf(step, field) : commandStepOf(step, field, context);
  });
  return {
    ...(paths && { paths }),
    ...(document.disk && { disk: document.disk }),
    ...(document.provenance && { provenance: document.provenance }),
    steps,
  };
};

/**
 * Parses and checks the text of a case file. Whatever is wrong with it is thrown as a UserError whose
 * message is one line naming `source` (the file, for the user) and the field, e.g.
 * `case.json: steps[1].data: odd number of hex digits in "a5a"`.
 */
export const parseCase = (text: string, source: string, options: ParseCaseOptions = {}): Case =>
  caseFromDocument(parseJson(text, source), source, options);

/**
 * Checks a case document however it was read (a case file's JSON, or what another corpus format decodes to)
 * and turns it into a Case, with parseCase's one-line errors naming `source` and the field.
 */
export const caseFromDocument = (document: unknown, source: string, options: ParseCaseOptions = {}): Case => {
  try {
    checkFormat(document);
    return caseOf(checkCaseSchema(document), options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES);
  } catch (error) {
    if (error instanceof CaseProblem) throw error.inFile(source);
    throw error;
  }
};
