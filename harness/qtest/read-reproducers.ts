import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { systemErrorText } from '../case/load-case';
import { UserError } from '../errors/user-error';
import { readCTestReproducers } from './read-c-test';
import { readHeredocReproducers } from './read-heredoc';
import { QtestReproducer } from './reproducer';

/** The reproducers a file holds: a QEMU qtest C file (`.c`) has one per test function, a shell file one per QEMU command. */
export const readReproducers = (file: string): QtestReproducer[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read: ${systemErrorText(error)}`);
  }
  return extname(file) === '.c' ? readCTestReproducers(text, file) : readHeredocReproducers(text, file);
};
