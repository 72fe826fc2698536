/** A payload that does not decode as a protocol message. */
export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}
