import { StepDocument } from '../case/case-document';
import { Case } from '../case/case-types';
import { formatHexWithRuns } from '../case/hex';
import { quote } from '../case/message-text';
import { DEFAULT_MAX_BUFFER_BYTES } from '../case/parse-case';
import { decodeCase, FormatProblem } from './format-problem';
import { DataDirection } from '../scsi/cdb';
import { Annotation, caseAnnotationFields, caseDocumentOf, pathAt, readAnnotation, stepAnnotationFields, stepDocumentOf } from './case-annotations';
import { CASE_MARKER, DATA_BEGIN, DATA_END, NO_DATA, RESET_FLAGS, SCRIPT_PREAMBLE, STEP_MARKER } from './sg-raw-script-layout';

const PRINTF_LINE = /^printf '((?:\\[0-7]{3})+)'$/;
const RUN_LINE = /^head -c ([0-9]+) \/dev\/zero \| tr '\\000' '\\([0-7]{3})'$/;
const SG_RAW_LINE = /^for dev in "\$@"; do sg_raw ((?:-[a-z] (?:[0-9]+|"\$data") )*)"\$dev" ([0-9a-f]{2}(?: [0-9a-f]{2})*); done$/;
const RESET_EVERY_LINE = /^for dev in "\$@"; do sg_reset --([a-z]+) "\$dev"; done$/;
const RESET_ONE_LINE = /^if \[ \$# -ge ([0-9]+) \]; then nth \1 "\$@"; sg_reset --([a-z]+) "\$dev"; fi$/;
const OPTION = /-([a-z]) ([0-9]+|"\$data") /g;

const resetKindOf = (flag: string, line: number) => {
  const kind = (Object.keys(RESET_FLAGS) as (keyof typeof RESET_FLAGS)[]).find((candidate) => RESET_FLAGS[candidate] === `--${flag}`);
  if (kind === undefined) throw new FormatProblem(`sg_reset --${flag} is not a reset hbadiff writes`, line);
  return kind;
};

/** The data-out a data block wrote, as hex with runs, checked against the maximum buffer as it grows. */
class DataBlock {
  private readonly pieces: Buffer[] = [];
  private bytes = 0;

  add(piece: Buffer, line: number): void {
    this.bytes += piece.length;
    if (this.bytes > DEFAULT_MAX_BUFFER_BYTES) throw new FormatProblem(`data over the maximum of ${DEFAULT_MAX_BUFFER_BYTES} bytes`, line);
    this.pieces.push(piece);
  }

  addRun(count: number, byte: number, line: number): void {
    if (count === 0 || count > DEFAULT_MAX_BUFFER_BYTES) throw new FormatProblem(`a run of ${count} bytes`, line);
    this.add(Buffer.alloc(count, byte), line);
  }

  get length(): number {
    return this.bytes;
  }

  hex(): string {
    return formatHexWithRuns(Buffer.concat(this.pieces));
  }
}

interface CommandOptions {
  readonly dir: DataDirection;
  readonly length: number | undefined;
}

const commandOptions = (text: string, line: number): CommandOptions => {
  const given = new Map<string, string>();
  for (const [, flag, value] of text.matchAll(OPTION)) {
    if (given.has(flag)) throw new FormatProblem(`sg_raw -${flag} is given twice`, line);
    given.set(flag, value);
  }
  const unknown = [...given.keys()].find((flag) => !['r', 's', 'i', 't'].includes(flag));
  if (unknown !== undefined) throw new FormatProblem(`sg_raw -${unknown} is not an option hbadiff writes`, line);
  const numberOf = (flag: string): number | undefined => {
    const value = given.get(flag);
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value)) throw new FormatProblem(`sg_raw -${flag} takes a number, not ${value}`, line);
    return Number(value);
  };
  const [request, send] = [numberOf('r'), numberOf('s')];
  numberOf('t');
  if (request !== undefined && send !== undefined) throw new FormatProblem('sg_raw both -r and -s: hbadiff sends data one way', line);
  if ((send !== undefined) !== (given.get('i') === '"$data"')) throw new FormatProblem('sg_raw -s goes with -i "$data", and only with it', line);
  if (request !== undefined) return { dir: 'from-device', length: request };
  if (send !== undefined) return { dir: 'to-device', length: send };
  return { dir: 'none', length: undefined };
};

/** Reads the script line by line; a step's annotation and data block wait for the command they belong to. */
const readScriptDocument = (text: string, source: string): unknown => {
  let caseAnnotation: Annotation | undefined;
  let stepAnnotation: { readonly line: number; readonly text: string } | undefined;
  let data: DataBlock | undefined;
  let dataOpen = false;
  const steps: StepDocument[] = [];
  const annotationFor = (kind: 'command' | 'reset'): Annotation => {
    const pending = stepAnnotation;
    stepAnnotation = undefined;
    const allowed = kind === 'reset' ? stepAnnotationFields('reset') : [...stepAnnotationFields('command'), 'length'];
    return pending ? readAnnotation(pending.text, allowed, `${source}:${pending.line}`) : {};
  };
  text.split('\n').forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (dataOpen) {
      const printf = PRINTF_LINE.exec(line);
      const run = RUN_LINE.exec(line);
      if (printf) data?.add(Buffer.from(printf[1].split('\\').slice(1).map((digits) => parseInt(digits, 8))), lineNumber);
      else if (run) data?.addRun(Number(run[1]), parseInt(run[2], 8), lineNumber);
      else if (line === DATA_END) dataOpen = false;
      else if (line === NO_DATA && data?.length === 0) return;
      else throw new FormatProblem(`expected printf '\\ooo…', head -c N /dev/zero | tr … or ${DATA_END}, not ${quote(line)}`, lineNumber);
      return;
    }
    if (line.startsWith(CASE_MARKER)) {
      if (caseAnnotation) throw new FormatProblem(`a second ${quote(CASE_MARKER.trim())} line`, lineNumber);
      caseAnnotation = readAnnotation(line.slice(CASE_MARKER.length), caseAnnotationFields, `${source}:${lineNumber}`);
      return;
    }
    if (line.startsWith(STEP_MARKER)) {
      if (stepAnnotation) throw new FormatProblem(`a second ${quote(STEP_MARKER.trim())} line for one step`, lineNumber);
      stepAnnotation = { line: lineNumber, text: line.slice(STEP_MARKER.length) };
      return;
    }
    if (line === '' || line.startsWith('#') || SCRIPT_PREAMBLE.includes(line)) return;
    if (line === DATA_BEGIN) {
      if (data) throw new FormatProblem('a second data block for one step', lineNumber);
      data = new DataBlock();
      dataOpen = true;
      return;
    }
    const sgRaw = SG_RAW_LINE.exec(line);
    const resetEvery = RESET_EVERY_LINE.exec(line);
    const resetOne = RESET_ONE_LINE.exec(line);
    if (!caseAnnotation && (sgRaw || resetEvery || resetOne)) {
      throw new FormatProblem(`no ${quote(CASE_MARKER.trim())} line before the first step: not an sg_raw script hbadiff wrote`, lineNumber);
    }
    const annotation = caseAnnotation ?? {};
    if (sgRaw) {
      const { dir, length } = commandOptions(sgRaw[1], lineNumber);
      const stepFields = annotationFor('command');
      if (dir === 'to-device' && data?.length !== length) {
        throw new FormatProblem(`sg_raw -s ${length}, but the data block before it writes ${data?.length ?? 'no'} bytes`, lineNumber);
      }
      if (dir !== 'to-device' && data) throw new FormatProblem('a data block before an sg_raw that sends none', lineNumber);
      if (dir !== 'none' && 'length' in stepFields) throw new FormatProblem('the step annotation gives a length, which only a command without data may', lineNumber);
      steps.push(stepDocumentOf({ cdb: sgRaw[2], dir, ...(length !== undefined && { length }), ...(data && { data: data.hex() }) }, stepFields));
      data = undefined;
    } else if (resetEvery) {
      steps.push(stepDocumentOf({ reset: resetKindOf(resetEvery[1], lineNumber) }, annotationFor('reset')));
    } else if (resetOne) {
      const path = pathAt(annotation, Number(resetOne[1]) - 1, `${source}:${lineNumber}`);
      steps.push(stepDocumentOf({ reset: resetKindOf(resetOne[2], lineNumber), path }, annotationFor('reset')));
    } else {
      throw new FormatProblem(`not a line hbadiff writes: ${quote(line)}`, lineNumber);
    }
  });
  if (dataOpen) throw new FormatProblem(`the data block lacks its ${DATA_END} line`, text.split('\n').length);
  if (data || stepAnnotation) throw new FormatProblem('the script ends before the step its last lines belong to', text.split('\n').length);
  if (!caseAnnotation) throw new FormatProblem(`no ${quote(CASE_MARKER.trim())} line: not an sg_raw script hbadiff wrote`, 1);
  return caseDocumentOf(caseAnnotation, steps);
};

/**
 * Reads back an sg_raw script hbadiff wrote (docs/corpus-format.md): each step from its sg_raw or sg_reset
 * command and data block, what sg_raw has no place for from the annotations. Whatever is wrong is one
 * UserError line naming `source` and the line.
 */
export const readSgRawScript = (text: string, source: string): Case => decodeCase(source, () => readScriptDocument(text, source));
