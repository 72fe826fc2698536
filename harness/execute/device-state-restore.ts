import { Case } from '../case/case-types';
import { ScsiCommand } from '../scsi/command';
import { Opcode } from '../scsi/commands/opcode';
import { modeSelect6, readCapacity10, readCapacity16, requestSense } from '../scsi/opcodes';
import { blockBytes } from '../session/disk-content';

/**
 * What a case can leave behind on a device besides its disk content: a MODE SELECT block descriptor gives
 * scsi-disk and tgtd a new logical block length, and scsi-block keeps whatever READ CAPACITY data the guest
 * last read (scsi-generic.c snoops it, short transfers included) as the capacity and block length it checks
 * I/O against.
 */
const stateLeavingOpcodes: ReadonlySet<number> = new Set([Opcode.modeSelect6, Opcode.modeSelect10, Opcode.readCapacity10, Opcode.serviceActionIn16]);
export const mayLeaveDeviceState = (testCase: Case): boolean => testCase.steps.some((step) => step.kind === 'command' && stateLeavingOpcodes.has(step.command.cdb[0]));

/** A mode parameter header and one block descriptor: the logical block length every case starts from. */
const blockLengthDescriptor = Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, (blockBytes >> 16) & 0xff, (blockBytes >> 8) & 0xff, blockBytes & 0xff]);

/** That block length selected, then the whole capacity read, so that scsi-block snoops the device's true geometry. */
export const restoringCommands: readonly ScsiCommand[] = [
  { cdb: modeSelect6({ pf: true, parameterListLength: blockLengthDescriptor.length }), direction: 'to-device', length: blockLengthDescriptor.length, dataOut: blockLengthDescriptor },
  { cdb: readCapacity16({ allocationLength: 32 }), direction: 'from-device', length: 32 },
  { cdb: readCapacity10({}), direction: 'from-device', length: 8 },
];

/**
 * QEMU's SCSI layer keeps the sense of every command that ends in CHECK CONDITION in the device, whether the
 * HBA delivered it with the command or not (scsi_req_complete() in scsi-bus.c), and a later REQUEST SENSE
 * returns it until a command completes GOOD: a case after one that failed would see that sense. A REQUEST
 * SENSE of its own takes it (and completes GOOD), so each case starts with none pending.
 */
export const takeSense: ScsiCommand = { cdb: requestSense({ allocationLength: 252 }), direction: 'from-device', length: 252 };

/** A unit attention may stand before the first command (after a reset the last case ended with); the next try gets through. */
export const restoreTries = 3;
