import { heredocDelimiter, provenancePrefix, qemuCommandWord, qtestStdioArgs, survivalHint } from './heredoc-layout';
import { QtestReproducer } from './reproducer';
import { shellQuote } from './shell-words';

/**
 * A reproducer as QEMU developers paste one into a bug report or commit message, runnable as it is with
 * sh (`QEMU=./build/qemu-system-x86_64 sh FILE` to pick the build): `cat << EOF | qemu … -qtest stdio`.
 */
export const heredocOf = (reproducer: QtestReproducer): string => {
  const noteLines = reproducer.note === undefined ? [] : reproducer.note.split('\n').map((line) => `# ${line}`.trimEnd());
  const command = [qemuCommandWord, ...[...reproducer.qemuArgs, ...qtestStdioArgs].map(shellQuote)].join(' ');
  return [
    `${provenancePrefix}${reproducer.provenance}`,
    ...noteLines,
    survivalHint,
    `cat << ${heredocDelimiter} | ${command}`,
    ...reproducer.lines,
    heredocDelimiter,
    '',
  ].join('\n');
};
