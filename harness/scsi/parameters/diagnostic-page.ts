export interface DiagnosticPageInput {
  readonly pageCode: number;
  /** Byte 1, whose meaning each page defines. */
  readonly pageSpecific?: number;
  readonly parameters?: Uint8Array;
}

/** A diagnostic page (SPC-5, diagnostic page format), the parameter list SEND DIAGNOSTIC sends with PF set. */
export const diagnosticPage = ({ pageCode, pageSpecific = 0, parameters = new Uint8Array(0) }: DiagnosticPageInput): Buffer => {
  if (pageCode > 0xff || pageSpecific > 0xff || parameters.length > 0xffff) {
    throw new RangeError(`diagnostic page ${pageCode} with ${parameters.length} parameter bytes does not fit its header`);
  }
  const header = Buffer.from([pageCode, pageSpecific, parameters.length >> 8, parameters.length & 0xff]);
  return Buffer.concat([header, parameters]);
};
