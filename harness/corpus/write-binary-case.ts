import { Case, CaseStep } from '../case/case-types';
import { byteStretches } from '../case/hex';
import { ByteWriter } from '../guest/wire/byte-writer';
import { Annotation, caseAnnotation, isEmptyAnnotation, pathIndexOf, stepAnnotation } from './case-annotations';
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

/** A u32 length and the annotation's JSON, or a zero length for none. */
const writeAnnotation = (writer: ByteWriter, annotation: Annotation): void => {
  writer.bytes32(isEmptyAnnotation(annotation) ? Buffer.alloc(0) : Buffer.from(JSON.stringify(annotation), 'utf8'));
};

/** Data-out as segments: literal stretches, and runs of one byte as a count and the byte. */
const writeDataOut = (writer: ByteWriter, dataOut: Buffer): void => {
  for (const stretch of byteStretches(dataOut)) {
    if ('plain' in stretch) writer.u32(stretch.plain.length).bytes(stretch.plain);
    else writer.u32((RUN_SEGMENT | stretch.count) >>> 0).u8(stretch.byte);
  }
};

const writeStep = (writer: ByteWriter, step: CaseStep, testCase: Case): void => {
  if (step.kind === 'reset') {
    writer.u8(STEP_RESET).u8(resetCodes.indexOf(step.reset));
    writer.u16(step.path === undefined ? EVERY_PATH : pathIndexOf(testCase, step.path));
  } else if (step.kind === 'host') {
    const event = step.event;
    const value = event.kind === 'resize' ? event.bytes : event.kind === 'io-error' ? event.sector : event.kind === 'hold' ? event.ms : 0;
    writer.u8(STEP_HOST).u8(hostEventCodes.indexOf(event.kind)).u8(event.kind === 'io-error' ? ioCodes.indexOf(event.io) : 0).u64(BigInt(value));
  } else {
    const { cdb, direction, length, dataOut } = step.command;
    writer.u8(STEP_COMMAND).u8(directionCodes.indexOf(direction)).u8(cdb.length).u32(length).bytes(cdb);
    if (dataOut) writeDataOut(writer, dataOut);
  }
  writeAnnotation(writer, stepAnnotation(step));
};

/** A case in the binary format; readBinaryCase reads it back equal. */
export const writeBinaryCase = (testCase: Case): Buffer => {
  const writer = new ByteWriter().bytes(BINARY_MAGIC).u16(BINARY_VERSION).u32(testCase.steps.length);
  writeAnnotation(writer, caseAnnotation(testCase));
  for (const step of testCase.steps) writeStep(writer, step, testCase);
  return writer.finish();
};
