import { flag, number } from '../layout/field';
import { dataOut, defineCommand, noData } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { Opcode } from './opcode';

// RESERVE and RELEASE are SPC-2's (7.21 to 7.24); SPC-3 made them obsolete, but guests and targets still
// speak them. The 6-byte forms' fields are all obsolete, so only the CONTROL byte remains.

export const reserve6Layout = defineCommand({
  name: 'RESERVE (6)',
  opcode: Opcode.reserve6,
  length: 6,
  direction: 'none',
  fields: {},
  transfer: () => noData,
});

export const release6Layout = defineCommand({
  name: 'RELEASE (6)',
  opcode: Opcode.release6,
  length: 6,
  direction: 'none',
  fields: {},
  transfer: () => noData,
});

/** 3RDPTY reserves for another initiator, named by THIRD-PARTY DEVICE ID or, with LONGID, in the parameter list. */
const reservation10Fields = {
  thirdParty: flag('3RDPTY', 1, 4),
  longId: flag('LONGID', 1, 1),
  thirdPartyDeviceId: number('THIRD-PARTY DEVICE ID', wholeBytes(3, 1)),
  parameterListLength: number('PARAMETER LIST LENGTH', wholeBytes(7, 2)),
};

export const reserve10Layout = defineCommand({
  name: 'RESERVE (10)',
  opcode: Opcode.reserve10,
  length: 10,
  direction: 'to-device',
  fields: reservation10Fields,
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
});

export const release10Layout = defineCommand({
  name: 'RELEASE (10)',
  opcode: Opcode.release10,
  length: 10,
  direction: 'to-device',
  fields: reservation10Fields,
  transfer: ({ parameterListLength }) => dataOut(parameterListLength),
});

export const reserve6 = encoderFor(reserve6Layout);
export const release6 = encoderFor(release6Layout);
export const reserve10 = encoderFor(reserve10Layout);
export const release10 = encoderFor(release10Layout);
