import { hex, hexBytes } from '../_internals/hex';
import { describeAscAscq } from './asc-ascq';
import { SenseData } from './sense-data';
import { describeSenseDescriptor } from './sense-descriptors';
import { describeSenseKeySpecific } from './sense-key-specific';
import { senseKeyName } from './sense-key';

const fixedFormatDetails = (sense: SenseData): string[] => [
  ...(sense.valid && sense.information !== undefined ? [`information ${hex(sense.information, 8)}`] : []),
  ...(sense.commandSpecificInformation ? [`command-specific information ${hex(sense.commandSpecificInformation, 8)}`] : []),
  ...(sense.senseKeySpecific ? [describeSenseKeySpecific(sense.senseKeySpecific)] : []),
  ...(sense.fieldReplaceableUnitCode ? [`field replaceable unit ${hex(sense.fieldReplaceableUnitCode)}`] : []),
  ...(['FILEMARK', 'EOM', 'ILI'] as const).filter((_, index) => [sense.filemark, sense.endOfMedium, sense.incorrectLength][index]),
  ...(sense.additionalSenseBytes.some((byte) => byte !== 0) ? [`additional sense bytes ${hexBytes(sense.additionalSenseBytes)}`] : []),
];

/**
 * One line a person reads: `ILLEGAL REQUEST: INVALID FIELD IN CDB (24h/00h), field pointer byte 2 bit 5`,
 * then whatever else the sense data says, and its format when that is not the usual fixed one.
 */
export const describeSense = (sense: SenseData): string => {
  const details = sense.format === 'fixed' ? fixedFormatDetails(sense) : sense.descriptors.map(describeSenseDescriptor);
  const parts = [
    `${senseKeyName(sense.key)}: ${describeAscAscq(sense.asc, sense.ascq)}`,
    ...details,
    ...(sense.current ? [] : ['deferred']),
    ...(sense.format === 'descriptor' ? ['descriptor format'] : []),
    ...(sense.overflow ? ['SDAT_OVFL'] : []),
    ...(sense.truncated ? ['truncated'] : []),
    ...sense.problems,
  ];
  return parts.join(', ');
};
