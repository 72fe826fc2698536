import { Case, CaseStep, CommandStep } from '../case/case-types';
import { UserError } from '../errors/user-error';
import { byteStretches } from '../case/hex';
import { cdbToHex } from '../scsi/cdb';
import { decodeCdb } from '../scsi/decode-cdb';
import { defaultCasePaths } from '../case/case-paths';
import { Annotation, caseAnnotation, isEmptyAnnotation, pathIndexOf, stepAnnotation } from './case-annotations';
import {
  CASE_MARKER,
  DATA_BEGIN,
  DATA_END,
  NO_DATA,
  PRINTF_BYTES,
  RESET_FLAGS,
  SCRIPT_PREAMBLE,
  SG_RAW_MIN_CDB_BYTES,
  STEP_MARKER,
} from './sg-raw-script-layout';

const octal = (byte: number): string => `\\${byte.toString(8).padStart(3, '0')}`;

/** printf and tr lines that write the data-out into "$data": octal escapes, which every sh's printf reads. */
const dataLines = (dataOut: Buffer): string[] => {
  const lines = [DATA_BEGIN];
  for (const stretch of byteStretches(dataOut)) {
    if ('plain' in stretch) {
      for (let at = 0; at < stretch.plain.length; at += PRINTF_BYTES) {
        lines.push(`printf '${Array.from(stretch.plain.subarray(at, at + PRINTF_BYTES), octal).join('')}'`);
      }
    } else lines.push(`head -c ${stretch.count} /dev/zero | tr '\\000' '${octal(stretch.byte)}'`);
  }
  return [...lines, ...(dataOut.length === 0 ? [NO_DATA] : []), DATA_END];
};

const commandLines = (step: CommandStep, index: number, annotation: Annotation): string[] => {
  const { cdb, direction, length, dataOut } = step.command;
  const options: string[] = [];
  const notes: string[] = [];
  if (direction === 'from-device') options.push(`-r ${length}`);
  if (direction === 'to-device') options.push(`-s ${length}`, '-i "$data"');
  if (step.timeoutMs !== undefined) options.push(`-t ${Math.ceil(step.timeoutMs / 1000)}`);
  if (direction === 'none' && length > 0) {
    notes.push(`# sg_raw sends a command without data with no buffer; hbadiff's has ${length} bytes`);
    annotation = { ...annotation, length };
  }
  if (cdb.length < SG_RAW_MIN_CDB_BYTES) notes.push(`# sg_raw refuses CDBs shorter than ${SG_RAW_MIN_CDB_BYTES} bytes: this step fails there`);
  const sgRaw = ['sg_raw', ...options, '"$dev"', cdbToHex(cdb)].join(' ');
  return [
    `# step ${index}: ${decodeCdb(cdb).name}, ${direction}${direction === 'none' && length === 0 ? '' : `, ${length}-byte buffer`}`,
    ...notes,
    ...(isEmptyAnnotation(annotation) ? [] : [`${STEP_MARKER}${JSON.stringify(annotation)}`]),
    ...(dataOut ? dataLines(dataOut) : []),
    `for dev in "$@"; do ${sgRaw}; done`,
  ];
};

const stepLines = (step: CaseStep, index: number, testCase: Case): string[] => {
  const annotation = stepAnnotation(step);
  if (step.kind === 'command') return commandLines(step, index, annotation);
  if (step.kind === 'host') throw new UserError(`step ${index} is a host event (${step.event.kind}): an sg_raw script runs inside the guest, and only QEMU's host can do that; write the binary format or keep the case file`);
  const reset = `sg_reset ${RESET_FLAGS[step.reset]} "$dev"`;
  const device = step.path === undefined ? undefined : pathIndexOf(testCase, step.path) + 1;
  return [
    `# step ${index}: ${step.reset} reset${step.path === undefined ? '' : ` aimed at ${step.path}, device ${device}`}`,
    ...(isEmptyAnnotation(annotation) ? [] : [`${STEP_MARKER}${JSON.stringify(annotation)}`]),
    device === undefined ? `for dev in "$@"; do ${reset}; done` : `if [ $# -ge ${device} ]; then nth ${device} "$@"; ${reset}; fi`,
  ];
};

/**
 * A case as a POSIX sh script of sg_raw and sg_reset commands that reproduces it by hand in any Linux guest
 * with sg3-utils: one device per path, each step on every device before the next step on any, as hbadiff
 * sends it. readSgRawScript reads it back equal.
 */
export const writeSgRawScript = (testCase: Case): string => {
  const paths = testCase.paths ?? defaultCasePaths;
  const lines = [
    '#!/bin/sh',
    '# An hbadiff case as sg_raw commands (hbadiff corpus export; docs/corpus-format.md). Run it as root with',
    `# one SCSI generic node per path, in this order: ${paths.join(' ')}`,
    '#   sh case.sh /dev/sgA /dev/sgB ...   or   HBADIFF_DEVICES="/dev/sgA /dev/sgB ..." sh case.sh',
    '# Each step goes to every device given before the next step goes to any.',
    `${CASE_MARKER}${JSON.stringify(caseAnnotation(testCase))}`,
    ...SCRIPT_PREAMBLE,
    ...testCase.steps.flatMap((step, index) => ['', ...stepLines(step, index, testCase)]),
  ];
  return `${lines.join('\n')}\n`;
};
