import { StepDocument } from '../case/case-document';
import { Case } from '../case/case-types';
import { formatHexWithRuns, spacedHex } from '../case/hex';
import { DEFAULT_MAX_BUFFER_BYTES } from '../case/parse-case';
import { ByteReader } from '../guest/wire/byte-reader';
import { decodeCase, FormatProblem } from './format-problem';
import { Annotation, caseAnnotationFields, caseDocumentOf, pathAt, readAnnotation, stepAnnotationFields, stepDocumentOf } from './case-annotations';
import {
  BINARY_MAGIC,
  BINARY_VERSION,
  directionCodes,
  EVERY_PATH,
  resetCodes,
  RUN_SEGMENT,
  STEP_COMMAND,
  STEP_RESET,
  STEP_HOST,
  hostEventCodes,
  ioCodes,
} from './binary-case-layout';

const annotationOf = (reader: ByteReader, allowed: readonly string[], where: string): Annotation => {
  const text = reader.bytes32().toString('utf8');
  return text === '' ? {} : readAnnotation(text, allowed, where);
};

const codeAt = <T>(codes: readonly T[], code: number, what: string): T => {
  const value = codes[code];
  if (value === undefined) throw new FormatProblem(`${what} code ${code} is not one of 0 to ${codes.length - 1}`);
  return value;
};

/** Data-out segments up to exactly `length` bytes, checked before anything is allocated. */
const readDataOut = (reader: ByteReader, length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const header = reader.u32();
    const count = header & ~RUN_SEGMENT;
    if (count === 0) throw new FormatProblem(`a data-out segment of 0 bytes at ${filled}`);
    if (filled + count > length) throw new FormatProblem(`data-out segments run past the ${length}-byte buffer`);
    if (header & RUN_SEGMENT) bytes.fill(reader.u8(), filled, filled + count);
    else bytes.set(reader.bytes(count), filled);
    filled += count;
  }
  return bytes;
};

const readStep = (reader: ByteReader, index: number, caseAnnotation: Annotation, source: string): StepDocument => {
  const where = `${source}: step ${index}`;
  const kind = reader.u8();
  if (kind === STEP_RESET) {
    const reset = codeAt(resetCodes, reader.u8(), 'reset kind');
    const pathIndex = reader.u16();
    const path = pathIndex === EVERY_PATH ? undefined : pathAt(caseAnnotation, pathIndex, where);
    return stepDocumentOf({ reset, ...(path !== undefined && { path }) }, annotationOf(reader, stepAnnotationFields('reset'), where));
  }
  if (kind === STEP_HOST) {
    const host = codeAt(hostEventCodes, reader.u8(), 'host event');
    const ioCode = reader.u8();
    const value = reader.u64();
    // The size or sector is checked with the rest of the case; the fields an event has no use for must be 0 here, where the case has none.
    if (host !== 'io-error' && ioCode !== 0) throw new FormatProblem(`step ${index}: ${host} with an I/O kind of ${ioCode}`);
    if (host !== 'resize' && host !== 'io-error' && host !== 'hold' && value !== 0n) throw new FormatProblem(`step ${index}: ${host} with a value of ${value}`);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatProblem(`step ${index}: ${host} with a value of ${value}`);
    const fields =
      host === 'resize' ? { bytes: Number(value) } : host === 'io-error' ? { io: codeAt(ioCodes, ioCode, 'I/O kind'), sector: Number(value) } : host === 'hold' ? { ms: Number(value) } : {};
    return stepDocumentOf({ host, ...fields }, annotationOf(reader, stepAnnotationFields('host'), where));
  }
  if (kind !== STEP_COMMAND) throw new FormatProblem(`step ${index} has kind ${kind}, not ${STEP_COMMAND} (command), ${STEP_RESET} (reset) or ${STEP_HOST} (host event)`);
  const dir = codeAt(directionCodes, reader.u8(), 'direction');
  const cdbLength = reader.u8();
  const length = reader.u32();
  if (length > DEFAULT_MAX_BUFFER_BYTES) throw new FormatProblem(`step ${index}'s buffer of ${length} bytes is over the maximum of ${DEFAULT_MAX_BUFFER_BYTES}`);
  const cdb = spacedHex(reader.bytes(cdbLength));
  const data = dir === 'to-device' ? formatHexWithRuns(readDataOut(reader, length)) : undefined;
  return stepDocumentOf(
    { cdb, dir, length, ...(data !== undefined && { data }) },
    annotationOf(reader, stepAnnotationFields('command'), where),
  );
};

const readCaseDocument = (bytes: Buffer, source: string): unknown => {
  const reader = new ByteReader(bytes);
  const magic = reader.bytes(Math.min(BINARY_MAGIC.length, bytes.length));
  if (!magic.equals(BINARY_MAGIC)) {
    throw new FormatProblem(`not a binary case: it starts ${spacedHex(magic) || 'empty'}, not ${spacedHex(BINARY_MAGIC)} ("HBDC")`);
  }
  const version = reader.u16();
  if (version !== BINARY_VERSION) throw new FormatProblem(`binary case version ${version}; this hbadiff reads version ${BINARY_VERSION}`);
  const stepCount = reader.u32();
  const annotation = annotationOf(reader, caseAnnotationFields, `${source}: header`);
  const steps: StepDocument[] = [];
  for (let index = 0; index < stepCount; index++) steps.push(readStep(reader, index, annotation, source));
  if (reader.remaining > 0) throw new FormatProblem(`${reader.remaining} bytes after the last step`);
  return caseDocumentOf(annotation, steps);
};

/**
 * Reads a case in the binary format (docs/corpus-format.md). Whatever is wrong is one UserError line
 * naming `source`: a truncated or foreign file, a bad code, or a case field as a case file's check names it.
 */
export const readBinaryCase = (bytes: Buffer, source: string): Case => decodeCase(source, () => readCaseDocument(bytes, source));
