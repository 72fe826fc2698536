import { flag, wide } from '../layout/field';
import { wholeBytes } from '../layout/field-place';
import { FieldInputs, writeRecord } from '../layout/record';

/** The basic PERSISTENT RESERVE OUT parameter list (SPC-5); REGISTER AND MOVE has its own. */
const parameterListFields = {
  reservationKey: wide('RESERVATION KEY', wholeBytes(0, 8), 'hex'),
  serviceActionReservationKey: wide('SERVICE ACTION RESERVATION KEY', wholeBytes(8, 8), 'hex'),
  specIPt: flag('SPEC_I_PT', 20, 3),
  allTgPt: flag('ALL_TG_PT', 20, 2),
  aptpl: flag('APTPL', 20, 0),
};

export type PersistentReserveOutParameters = FieldInputs<typeof parameterListFields> & {
  /** With SPEC_I_PT: the TransportIDs of the other I_T nexuses to register, each already encoded. */
  readonly transportIds?: readonly Uint8Array[];
};

/** 24 bytes, then with TransportIDs their total length (bytes 24-27) and the TransportIDs themselves. */
export const persistentReserveOutParameterList = ({ transportIds, ...fields }: PersistentReserveOutParameters): Buffer => {
  const basic = Buffer.alloc(24);
  writeRecord(parameterListFields, fields, basic);
  if (!transportIds) return basic;
  const ids = Buffer.concat(transportIds);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(ids.length, 0);
  return Buffer.concat([basic, length, ids]);
};
