export interface ModeParameterListInput {
  readonly mediumType?: number;
  /** For direct access devices WP and DPOFUA are reserved here, so normally zero (SBC-4). */
  readonly deviceSpecificParameter?: number;
  readonly blockDescriptor?: { readonly blocks: number | bigint; readonly blockLength: number };
  /** Whole pages, header included: from `modePage`, or a named page's `encode`. */
  readonly pages?: readonly Uint8Array[];
}

const checkByte = (label: string, value: number): number => {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${label}: ${value} is not a byte`);
  return value;
};

const shortBlockDescriptor = ({ blocks, blockLength }: BlockDescriptorInput): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(Number(blocks), 0);
  bytes.writeUIntBE(blockLength, 5, 3);
  return bytes;
};

const longBlockDescriptor = ({ blocks, blockLength }: BlockDescriptorInput): Buffer => {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt(blocks), 0);
  bytes.writeUInt32BE(blockLength, 12);
  return bytes;
};

type BlockDescriptorInput = NonNullable<ModeParameterListInput['blockDescriptor']>;

/**
 * MODE SELECT (6) parameter list (SPC-5, mode parameter list): the 4-byte header with MODE DATA LENGTH
 * zero (reserved in MODE SELECT), an optional short block descriptor, then the pages.
 */
export const modeParameterList6 = (input: ModeParameterListInput): Buffer => {
  const descriptor = input.blockDescriptor ? shortBlockDescriptor(input.blockDescriptor) : Buffer.alloc(0);
  const header = Buffer.from([0, checkByte('MEDIUM TYPE', input.mediumType ?? 0), checkByte('DEVICE-SPECIFIC PARAMETER', input.deviceSpecificParameter ?? 0), descriptor.length]);
  return Buffer.concat([header, descriptor, ...(input.pages ?? [])]);
};

/** MODE SELECT (10) parameter list: the 8-byte header, an optional short or (LONGLBA) long block descriptor, pages. */
export const modeParameterList10 = (input: ModeParameterListInput & { readonly longLba?: boolean }): Buffer => {
  const descriptor = input.blockDescriptor
    ? (input.longLba ? longBlockDescriptor : shortBlockDescriptor)(input.blockDescriptor)
    : Buffer.alloc(0);
  const header = Buffer.alloc(8);
  header[2] = checkByte('MEDIUM TYPE', input.mediumType ?? 0);
  header[3] = checkByte('DEVICE-SPECIFIC PARAMETER', input.deviceSpecificParameter ?? 0);
  header[4] = input.longLba ? 1 : 0;
  header.writeUInt16BE(descriptor.length, 6);
  return Buffer.concat([header, descriptor, ...(input.pages ?? [])]);
};
