import { hex } from '../_internals/hex';
import { ascAscqAssignments } from './asc-ascq-assignments';

const assigned = new Map(ascAscqAssignments.map(([asc, ascq, name]) => [(asc << 8) | ascq, name]));

/** The standard's name for an ASC/ASCQ pair, counting its ranges; undefined where it names none. */
export const ascAscqName = (asc: number, ascq: number): string | undefined => {
  const name = assigned.get((asc << 8) | ascq);
  if (name) return name;
  if (asc === 0x40 && ascq >= 0x80) return `DIAGNOSTIC FAILURE ON COMPONENT ${hex(ascq)}`;
  if (asc === 0x4d) return `TAGGED OVERLAPPED COMMANDS (TASK TAG ${hex(ascq)})`;
  if (asc === 0x70) return `DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF ${hex(ascq)}`;
  return undefined;
};

/** SPC-5: ASC values 80h-FFh, and ASCQ values 80h-FFh under a standard ASC, are vendor specific. */
const isVendorSpecificAscAscq = (asc: number, ascq: number): boolean => ascAscqName(asc, ascq) === undefined && (asc >= 0x80 || ascq >= 0x80);

/** `INVALID FIELD IN CDB (24h/00h)`, or `ASC/ASCQ 2Eh/55h (unknown)` for a code the standard does not name. */
export const describeAscAscq = (asc: number, ascq: number): string => {
  const code = `${hex(asc)}/${hex(ascq)}`;
  const name = ascAscqName(asc, ascq);
  if (name) return `${name} (${code})`;
  return `ASC/ASCQ ${code} (${isVendorSpecificAscAscq(asc, ascq) ? 'vendor specific' : 'unknown'})`;
};
