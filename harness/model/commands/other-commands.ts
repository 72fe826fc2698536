import { Cdb } from '../../scsi/cdb';
import { cdbLengthOfGroup } from '../../scsi/commands/group-code';
import { commandKeyOf } from '../command-context';
import { DeviceState } from '../device-state';
import { ModelAnswer, invalidFieldInCdb, invalidOpcode, permitting, rejects, unjudged } from '../model-answer';
import { Requirements } from '../requirement';

/**
 * The operation codes SPC-5 and SBC-4 define for a direct-access block device (SPC-5 Annex E, SBC-4 Table
 * 21), obsolete ones included: optional commands the model does not follow beyond whether they exist.
 */
const directAccessOpcodes = new Set([
  0x00, 0x01, 0x03, 0x04, 0x07, 0x08, 0x0a, 0x0b, 0x12, 0x15, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x24, 0x25, 0x28, 0x2a,
  0x2b, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x39, 0x3a, 0x3b, 0x3c, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x48, 0x4c,
  0x4d, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x5a, 0x5e, 0x5f, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1,
  0xa2, 0xa3, 0xa4, 0xa7, 0xa8, 0xaa, 0xab, 0xae, 0xaf, 0xb3, 0xb4, 0xb5, 0xb7,
]);

/** Opcodes whose commands a service action selects: an unknown service action may be refused either way. */
const serviceActionOpcodes = new Set([0x5e, 0x5f, 0x7f, 0x83, 0x84, 0x86, 0x87, 0x94, 0x95, 0x9d, 0x9e, 0x9f, 0xa3, 0xa4]);

/**
 * A command the table does not lay out. An opcode the standards do not define for this device type is
 * INVALID COMMAND OPERATION CODE; an optional one is the device's to implement, consistently; vendor
 * specific groups (6 and 7) are the vendor's.
 */
export const otherCommandAnswer = (cdb: Cdb, state: DeviceState): ModelAnswer => {
  const opcode = cdb[0];
  const group = cdbLengthOfGroup(opcode);
  if (opcode >= 0xc0) return unjudged('a vendor-specific operation code');
  if (group !== undefined && cdb.length < group) return unjudged(`the CDB is shorter than its group's ${group} bytes (${Requirements.cdbLength.cite})`);
  if (!directAccessOpcodes.has(opcode)) return rejects(invalidOpcode(Requirements.invalidOpcode));
  const key = commandKeyOf(cdb);
  const supported = state.choices.supported.get(key);
  const observe = (after: DeviceState, notImplemented: boolean) => after.choices.supported.set(key, !notImplemented);
  if (supported === false) return { ...rejects(invalidOpcode(Requirements.supportConsistent)), observe };
  const answer: ModelAnswer = { ...unjudged('an optional command the model does not follow'), observe };
  if (supported === true) return { ...answer, implemented: true };
  return serviceActionOpcodes.has(opcode) ? permitting(answer, invalidOpcode(Requirements.optionalCommand), invalidFieldInCdb(Requirements.optionalCommand, 1)) : permitting(answer, invalidOpcode(Requirements.optionalCommand));
};
