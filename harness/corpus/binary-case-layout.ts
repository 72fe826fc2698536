import { HostEvent } from '../case/case-types';
import { ResetKind } from '../scsi/reset-kind';
import { DataDirection } from '../scsi/cdb';

// The binary case format, hbadiff-case/1 in bytes for byte-oriented fuzzers (docs/corpus-format.md): every
// number little-endian, the header, then one record per step.

/** `HBDC`: hbadiff case. */
export const BINARY_MAGIC = Buffer.from('HBDC', 'latin1');
export const BINARY_VERSION = 1;
/** Files of the format end so, by convention. */
export const BINARY_EXTENSION = '.hbdc';

export const STEP_COMMAND = 0x01;
export const STEP_RESET = 0x02;
export const STEP_HOST = 0x03;

/** A reset aimed at every path's own device. */
export const EVERY_PATH = 0xffff;

/** Bit 31 of a data-out segment's header: the segment is one byte repeated, not literal bytes. */
export const RUN_SEGMENT = 0x8000_0000;

/** The code of each direction and each reset kind is its index. */
export const directionCodes: readonly DataDirection[] = ['none', 'from-device', 'to-device'];
export const resetCodes: readonly ResetKind[] = ['device', 'target', 'bus', 'host'];
export const hostEventCodes: readonly HostEvent['kind'][] = ['pause', 'resize', 'unplug', 'plug', 'io-error', 'snapshot', 'hold'];
export const ioCodes: readonly ('read' | 'write')[] = ['read', 'write'];
