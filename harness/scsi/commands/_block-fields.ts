import { wide, flag, number, required } from '../layout/field';
import { bitsIn, wholeBytes } from '../layout/field-place';

// Fields the SBC-4 read, write and verify CDBs share, at the places they share.

export const protectionField = (label: 'RDPROTECT' | 'WRPROTECT' | 'VRPROTECT') => number(label, bitsIn(1, 7, 3));
export const dpo = flag('DPO', 1, 4);
export const fua = flag('FUA', 1, 3);
/** SBC-4 widened GROUP NUMBER to six bits for IO advice hints. */
export const groupNumber = (byte: number) => number('GROUP NUMBER', bitsIn(byte, 5, 6));
export const lba10 = required(wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 4)));
export const lba16 = required(wide('LOGICAL BLOCK ADDRESS', wholeBytes(2, 8)));

/** BYTCHK (SBC-4): 00b no compare, 01b compare as many blocks as sent, 11b compare one sent block with each. */
export const byteCheck = number('BYTCHK', bitsIn(1, 2, 2), {
  names: { 0: 'no data compared', 1: 'compare each block sent', 3: 'compare one block sent with each block' },
  othersReserved: true,
});

/** Command duration limit descriptor bits of the 16-byte CDBs (SBC-5 4.31). */
export const durationLimitFields = { dld2: flag('DLD2', 1, 0), dld1: flag('DLD1', 14, 7), dld0: flag('DLD0', 14, 6) };
