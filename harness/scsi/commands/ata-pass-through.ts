import { flag, number, required } from '../layout/field';
import { ExpectedTransfer, dataIn, dataOut, defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { bitsIn, scatteredBytes, wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

/** The PROTOCOL field (SAT-4). */
const ataProtocolNames: Readonly<Record<number, string>> = {
  0x0: 'ATA hardware reset',
  0x1: 'software reset',
  0x3: 'non-data',
  0x4: 'PIO data-in',
  0x5: 'PIO data-out',
  0x6: 'DMA',
  0x8: 'execute device diagnostic',
  0x9: 'non-data, reset device',
  0xa: 'UDMA data-in',
  0xb: 'UDMA data-out',
  0xc: 'NCQ',
  0xf: 'return response information',
};

/** Byte 2 of both CDBs: how the transfer length is given and which way data goes (SAT-4). */
const transferFields = {
  offLine: number('OFF_LINE', bitsIn(2, 7, 2)),
  ckCond: flag('CK_COND', 2, 5),
  tType: flag('T_TYPE', 2, 4),
  tDir: flag('T_DIR', 2, 3),
  bytBlok: flag('BYT_BLOK', 2, 2),
  tLength: number('T_LENGTH', bitsIn(2, 1, 2), {
    names: { 0: 'no data', 1: 'in FEATURES', 2: 'in COUNT', 3: 'in TPSIU' },
  }),
};

interface TransferFields {
  readonly tDir: boolean;
  readonly tType: boolean;
  readonly bytBlok: boolean;
  readonly tLength: number;
  readonly features: number;
  readonly count: number;
}

/**
 * SAT-4: the length sits in FEATURES or COUNT, in bytes, in 512-byte blocks (T_TYPE 0) or in the
 * device's logical sectors (T_TYPE 1); TPSIU belongs to the 32-byte CDB, so 11b moves nothing here.
 */
const ataTransfer = (fields: TransferFields, blockSize: number, extended: boolean): ExpectedTransfer => {
  const width = extended ? 0xffff : 0xff;
  const units = fields.tLength === 1 ? fields.features & width : fields.tLength === 2 ? fields.count & width : 0;
  const bytes = units * (fields.bytBlok ? (fields.tType ? blockSize : 512) : 1);
  if (bytes === 0) return noData;
  return fields.tDir ? dataIn(bytes) : dataOut(bytes);
};

/** ATA PASS-THROUGH (12) (SAT-4); MMC devices use this opcode for BLANK. */
export const ataPassThrough12Layout = defineCommand({
  name: 'ATA PASS-THROUGH (12)',
  opcode: Opcode.ataPassThrough12,
  length: 12,
  direction: 'per CDB',
  fields: {
    multipleCount: number('MULTIPLE_COUNT', bitsIn(1, 7, 3)),
    protocol: number('PROTOCOL', bitsIn(1, 4, 4), { names: ataProtocolNames }),
    ...transferFields,
    features: number('FEATURES', wholeBytes(3, 1), { notation: 'hex' }),
    count: number('COUNT', wholeBytes(4, 1)),
    lba: number('LBA', scatteredBytes(7, 6, 5), { notation: 'hex' }),
    device: number('DEVICE', wholeBytes(8, 1), { notation: 'hex' }),
    command: required(number('COMMAND', wholeBytes(9, 1), { notation: 'hex' })),
  },
  transfer: (fields, blockSize) => ataTransfer(fields, blockSize, false),
});

/** ATA PASS-THROUGH (16) (SAT-4): with EXTEND the 48-bit registers' high bytes count too. */
export const ataPassThrough16Layout = defineCommand({
  name: 'ATA PASS-THROUGH (16)',
  opcode: Opcode.ataPassThrough16,
  length: 16,
  direction: 'per CDB',
  fields: {
    multipleCount: number('MULTIPLE_COUNT', bitsIn(1, 7, 3)),
    protocol: number('PROTOCOL', bitsIn(1, 4, 4), { names: ataProtocolNames }),
    extend: flag('EXTEND', 1, 0),
    ...transferFields,
    features: number('FEATURES', wholeBytes(3, 2), { notation: 'hex' }),
    count: number('COUNT', wholeBytes(5, 2)),
    // LBA (47:40), (39:32), (31:24) sit in bytes 11, 9, 7 and LBA (23:16), (15:8), (7:0) in bytes 12, 10, 8.
    lba: number('LBA', scatteredBytes(11, 9, 7, 12, 10, 8), { notation: 'hex' }),
    device: number('DEVICE', wholeBytes(13, 1), { notation: 'hex' }),
    command: required(number('COMMAND', wholeBytes(14, 1), { notation: 'hex' })),
  },
  transfer: (fields, blockSize) => ataTransfer(fields, blockSize, fields.extend),
});

export const ataPassThrough12 = encoderFor(ataPassThrough12Layout);
export const ataPassThrough16 = encoderFor(ataPassThrough16Layout);
