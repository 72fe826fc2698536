import { Case } from '../case/case-types';
import { caseFromDocument } from '../case/parse-case';
import { UserError } from '../errors/user-error';
import { MalformedMessage } from '../guest/wire/malformed-message';

/** What is wrong with a corpus file's bytes or lines, found before anyone says which file it is. */
export class FormatProblem extends Error {
  constructor(
    problem: string,
    /** The line, for formats of lines. */
    readonly line?: number,
  ) {
    super(problem);
  }
}

/**
 * A case from what a format decoded (`decode` returns a case document), checked as any case file is; every
 * problem, of the format or of the case, is one UserError line naming `source`.
 */
export const decodeCase = (source: string, decode: () => unknown): Case => {
  let document: unknown;
  try {
    document = decode();
  } catch (error) {
    if (error instanceof MalformedMessage) throw new UserError(`${source}: truncated: ${error.message}`);
    if (error instanceof FormatProblem) throw new UserError(`${source}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`);
    throw error;
  }
  return caseFromDocument(document, source);
};
