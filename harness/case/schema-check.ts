import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { CaseDocument } from './case-document';
import { CaseProblem } from './case-problem';
import caseSchema from './case-schema.json';
import { fieldPathFromPointer } from './field-path';
import { describeValue } from './message-text';

/**
 * The compiler for the project's JSON documents (cases, policies), with the options checkSchema's messages
 * rely on: allErrors, so that an unknown field can be preferred over the missing field it is probably a
 * typo of; verbose, so that each error carries the offending value and its schema.
 */
export const schemaCompiler = new Ajv2020({ allErrors: true, verbose: true });

const validateCaseDocument = schemaCompiler.compile<CaseDocument>(caseSchema);

const TYPE_NAMES: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * The error to report: ajv's first, except that an unknown field beats a missing one in the same object,
 * where `"lenght": 512` should be reported as the typo, not as `length` missing.
 */
const mostTelling = (errors: readonly ErrorObject[]): ErrorObject => {
  // `if` only says the `then` or `else` branch failed, which that branch's own errors already say.
  const relevant = errors.filter((error) => error.keyword !== 'if');
  const [first] = relevant;
  if (first === undefined) throw new Error('ajv rejected a case document without saying why');
  const unknownField = relevant.find(
    (error) => error.keyword === 'additionalProperties' && error.instancePath === first.instancePath,
  );
  return first.keyword === 'required' && unknownField ? unknownField : first;
};

const problemOf = (error: ErrorObject): { child?: string; problem: string } => {
  const { params, data } = error;
  switch (error.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const expected = known.length === 0 ? '' : `; expected one of ${known.join(', ')}`;
      return { child: params.additionalProperty, problem: `unknown field${expected}` };
    }
    case 'required':
      return { child: params.missingProperty, problem: 'required but missing' };
    case 'type':
      return { problem: `must be ${TYPE_NAMES[params.type] ?? params.type}, not ${describeValue(data)}` };
    case 'minimum':
      return { problem: `must be at least ${params.limit}, not ${describeValue(data)}` };
    case 'maximum':
      return { problem: `must be at most ${params.limit}, not ${describeValue(data)}` };
    case 'multipleOf':
      return { problem: `must be a multiple of ${params.multipleOf}, not ${describeValue(data)}` };
    case 'minItems':
      return { problem: params.limit === 1 ? 'must not be empty' : `must have at least ${params.limit} items` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(describeValue).join(', ');
      return { problem: `must be one of ${allowed}, not ${describeValue(data)}` };
    }
    case 'const':
      return { problem: `must be ${describeValue(params.allowedValue)}, not ${describeValue(data)}` };
    default:
      return { problem: error.message ?? `fails the schema's ${error.keyword}` };
  }
};

/** Checks a parsed document against a compiled schema, throwing the most telling problem as a CaseProblem. */
export const checkSchema = <T>(validate: ValidateFunction<T>, document: unknown): T => {
  if (validate(document)) return document;
  const error = mostTelling(validate.errors ?? []);
  const { child, problem } = problemOf(error);
  const field = fieldPathFromPointer(document, error.instancePath);
  throw new CaseProblem(child === undefined ? field : [...field, child], problem);
};

/** Checks a parsed case file against case-schema.json. */
export const checkCaseSchema = (document: unknown): CaseDocument => checkSchema(validateCaseDocument, document);
