/** The standard INQUIRY data fields a comparison or a person reads first (SPC-5 6.7.2). */
export interface StandardInquiry {
  readonly peripheralQualifier: number;
  readonly peripheralDeviceType: number;
  readonly removable: boolean;
  readonly version: number;
  readonly responseDataFormat: number;
  readonly additionalLength: number;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
}

const ascii = (bytes: Buffer, start: number, end: number): string =>
  bytes.subarray(start, end).toString('latin1').trimEnd();

/** Decodes as much as `bytes` holds; the caller passes only the bytes the device transferred. */
export const decodeStandardInquiry = (bytes: Buffer): StandardInquiry => ({
  peripheralQualifier: (bytes[0] ?? 0) >> 5,
  peripheralDeviceType: (bytes[0] ?? 0) & 0x1f,
  removable: ((bytes[1] ?? 0) & 0x80) !== 0,
  version: bytes[2] ?? 0,
  responseDataFormat: (bytes[3] ?? 0) & 0x0f,
  additionalLength: bytes[4] ?? 0,
  vendor: ascii(bytes, 8, 16),
  product: ascii(bytes, 16, 32),
  revision: ascii(bytes, 32, 36),
});
