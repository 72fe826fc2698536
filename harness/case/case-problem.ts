import { UserError } from '../errors/user-error';
import { FieldPath, formatFieldPath } from './field-path';

/**
 * What is wrong with one field of a case document, found before anyone knows which file it came from;
 * parseCase turns it into the one-line UserError the user sees.
 */
export class CaseProblem extends Error {
  override readonly name = 'CaseProblem';

  constructor(
    readonly field: FieldPath,
    readonly problem: string,
  ) {
    super(field.length === 0 ? problem : `${formatFieldPath(field)}: ${problem}`);
  }

  inFile(source: string): UserError {
    return new UserError(`${source}: ${this.message}`);
  }
}
