import { ExpectedSense, ModelAnswer, Rejection } from './model-answer';

const hex = (value: number): string => value.toString(16).padStart(2, '0');

/** `5/24/00`, `6/29/xx`: sense key, ASC and ASCQ as the model and the signatures print them. */
export const senseCode = (key: number, asc: number, ascq: number | undefined): string => `${key.toString(16)}/${hex(asc)}/${ascq === undefined ? 'xx' : hex(ascq)}`;

export const describeExpectedSense = (sense: ExpectedSense): string => senseCode(sense.key, sense.asc, sense.ascq);

export const describeRejection = (rejection: Rejection): string =>
  rejection.sense ? `${rejection.status} ${describeExpectedSense(rejection.sense)}` : rejection.status;

/** The answers allowed, each once, in a stable order: what a departure names as expected. */
export const describeAlternatives = (rejections: readonly Rejection[], good: boolean): string => {
  const texts = [...new Set(rejections.map(describeRejection))].sort();
  return [...(good ? ['GOOD'] : []), ...texts].join(' or ');
};

/** The model's answer as the report's model column shows it. */
export const describeModelAnswer = (answer: ModelAnswer): string => {
  if (answer.unjudged) return `any answer (${answer.unjudged})`;
  if (answer.required.length > 0) return describeAlternatives([...answer.required, ...answer.permitted], false);
  return describeAlternatives(answer.permitted, answer.completion !== undefined);
};
