import { UserError } from '../errors/user-error';

/** A reproducer file hbadiff cannot read: one line naming the file, the line, and what is wrong there. */
export class ReproducerSyntaxError extends UserError {
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'ReproducerSyntaxError';
  }
}
