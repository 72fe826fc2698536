import { wide, flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode, ServiceActionIn16 } from './opcode';

/** SBC-3: an LBA with PMI zero is an invalid field (SBC-4 made both fields obsolete). */
const lbaWithoutPmi = ({ lba, pmi }: { lba: bigint; pmi: boolean }): string[] =>
  !pmi && lba !== 0n ? ['LOGICAL BLOCK ADDRESS is set but PMI is not'] : [];

/** READ CAPACITY (10) (SBC-4): always 8 bytes of parameter data. */
export const readCapacity10Layout = defineCommand({
  name: 'READ CAPACITY (10)',
  opcode: Opcode.readCapacity10,
  length: 10,
  direction: 'from-device',
  fields: { lba: wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 4)), pmi: flag('PMI', 8, 0) },
  transfer: () => dataIn(8),
  oddities: lbaWithoutPmi,
});

/** READ CAPACITY (16) (SBC-4), a SERVICE ACTION IN (16) command. */
export const readCapacity16Layout = defineCommand({
  name: 'READ CAPACITY (16)',
  opcode: Opcode.serviceActionIn16,
  serviceAction: ServiceActionIn16.readCapacity16,
  length: 16,
  direction: 'from-device',
  fields: {
    lba: wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 8)),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(10, 4))),
    pmi: flag('PMI', 14, 0),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  oddities: lbaWithoutPmi,
});

export const readCapacity10 = encoderFor(readCapacity10Layout);
export const readCapacity16 = encoderFor(readCapacity16Layout);
