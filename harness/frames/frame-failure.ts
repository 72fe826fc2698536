import { crashCause, Signature, signature } from '../findings/signature';
import type { AnswerField } from './frame-outcome';

/**
 * What an oracle saw go wrong in a run, at its frame (0-based): QEMU died (its exit and last stderr lines,
 * a sanitizer's report among them); a qtest request went unanswered; a guard byte changed where no frame of
 * the run handed the device memory (QEMU wrote where it was not asked to); a frame whose changes should not matter got another answer
 * than its unmutated copy.
 */
export type FrameFailure =
  | { readonly kind: 'crash'; readonly frame: number; readonly detail: string }
  | { readonly kind: 'hang'; readonly frame: number; readonly fields: readonly string[] }
  | {
      readonly kind: 'stray-write';
      readonly frame: number;
      readonly buffer: string;
      readonly side: 'before' | 'after';
      /** The first guard byte that changed: a `read` of it after the reproducer's lines shows the write. */
      readonly firstChanged: number;
      readonly description: string;
    }
  | {
      readonly kind: 'divergence';
      readonly frame: number;
      readonly field: AnswerField;
      readonly fields: readonly string[];
      readonly mutated: string;
      readonly unmutated: string;
    };

export type FailureKind = FrameFailure['kind'];

/** Answer fields whose values name a cause (a completion code, a status); the others differ by buffer sizes and contents. */
const namedValues = new Set<AnswerField>(['completion', 'hbaStatus', 'status']);

/**
 * One cause, one finding: a crash by what crashCause() makes of it (a sanitizer's error and top frames, a
 * failed assertion, else the signal); a stray write by the buffer whose guard changed and its side; a divergence by the answer's field (and for a completion code or status, both values).
 * Never by the overrides, which shrinking removes one by one while the cause stays, nor by addresses.
 */
export const frameFailureSignature = (model: string, failure: FrameFailure): Signature => {
  switch (failure.kind) {
    case 'crash':
      return signature(`${model}: crash: ${crashCause(failure.detail)}`);
    case 'hang':
      return signature(`${model}: hang: a qtest request unanswered`);
    case 'stray-write':
      return signature(`${model}: stray write where no frame pointed: ${failure.buffer} guard ${failure.side}`);
    case 'divergence': {
      const values = namedValues.has(failure.field) ? ` (${failure.mutated} where unmutated ${failure.unmutated})` : '';
      return signature(`${model}: divergence from the unmutated frame: ${failure.field}${values}`);
    }
  }
};

/** One line for the console and the reproducer's note. */
export const describeFrameFailure = (failure: FrameFailure): string => {
  const at = `frame ${failure.frame + 1}`;
  switch (failure.kind) {
    case 'crash':
      return `${at}: QEMU died: ${failure.detail.split('\n')[0]}`;
    case 'hang':
      return `${at}, with ${failure.fields.join('+') || 'no override'}: a qtest request went unanswered`;
    case 'stray-write':
      return `${at}: ${failure.description}`;
    case 'divergence':
      return `${at}, with ${failure.fields.join('+')}: ${failure.field} ${failure.mutated}, unmutated ${failure.unmutated}`;
  }
};
