import { Case } from '../case/case-types';
import { parseCase } from '../case/parse-case';
import { serializeCase } from '../case/serialize-case';
import { BINARY_EXTENSION } from './binary-case-layout';
import { readBinaryCase } from './read-binary-case';
import { readSgRawScript } from './read-sg-raw-script';
import { SCRIPT_EXTENSION } from './sg-raw-script-layout';
import { writeBinaryCase } from './write-binary-case';
import { writeSgRawScript } from './write-sg-raw-script';

export type CorpusFormatName = 'case' | 'binary' | 'sg_raw';

/** One way a corpus holds a case on disk, told apart by the file's extension. */
export interface CorpusFormat {
  readonly name: CorpusFormatName;
  readonly extension: string;
  /** Whether a file of the format must be executable. */
  readonly executable: boolean;
  /** Whether it holds host events: a script run inside the guest cannot pause the VM or resize its disks. */
  readonly hostEvents: boolean;
  write(testCase: Case): Buffer;
  /** Throws a one-line UserError naming `source` when the bytes are not a case. */
  read(bytes: Buffer, source: string): Case;
}

const utf8 = (bytes: Buffer): string => bytes.toString('utf8');

export const corpusFormats: readonly CorpusFormat[] = [
  { name: 'case', extension: '.json', executable: false, hostEvents: true, write: (testCase) => Buffer.from(serializeCase(testCase)), read: (bytes, source) => parseCase(utf8(bytes), source) },
  { name: 'binary', extension: BINARY_EXTENSION, executable: false, hostEvents: true, write: writeBinaryCase, read: readBinaryCase },
  {
    name: 'sg_raw',
    extension: SCRIPT_EXTENSION,
    executable: true,
    hostEvents: false,
    write: (testCase) => Buffer.from(writeSgRawScript(testCase)),
    read: (bytes, source) => readSgRawScript(utf8(bytes), source),
  },
];

export const formatNamed = (name: string): CorpusFormat | undefined => corpusFormats.find((format) => format.name === name);

export const formatOfFile = (file: string): CorpusFormat | undefined => corpusFormats.find((format) => file.endsWith(format.extension));
