import { bitAt, bitsAt, uintAt } from '../_internals/byte-fields';
import { hexBytes } from '../_internals/hex';
import { SenseKey } from './sense-key';

/** The SENSE KEY SPECIFIC field's meaning depends on the sense key (SPC-5). */
export type SenseKeySpecific =
  /** ILLEGAL REQUEST: which byte (and bit) of the CDB or of the parameter data was wrong. */
  | { readonly kind: 'field pointer'; readonly inCdb: boolean; readonly byte: number; readonly bit: number | undefined }
  /** RECOVERED, MEDIUM or HARDWARE ERROR. */
  | { readonly kind: 'actual retry count'; readonly count: number }
  /** NO SENSE and NOT READY: how far a long operation is, in 65536ths. */
  | { readonly kind: 'progress indication'; readonly progress: number }
  /** COPY ABORTED: which byte of which segment descriptor (or of the parameter list) failed. */
  | { readonly kind: 'segment pointer'; readonly inSegmentDescriptor: boolean; readonly byte: number; readonly bit: number | undefined }
  /** UNIT ATTENTION: the queue of unit attention conditions overflowed. */
  | { readonly kind: 'unit attention condition queue overflow'; readonly overflow: boolean }
  /** Any other sense key: the standard reserves the field. */
  | { readonly kind: 'reserved'; readonly bytes: Buffer };

/** The three bytes holding SKSV in bit 7 of the first; undefined when SKSV says they mean nothing. */
export const decodeSenseKeySpecific = (key: number, bytes: Uint8Array): SenseKeySpecific | undefined => {
  if (!bitAt(bytes, 0, 7)) return undefined;
  const bitPointer = bitAt(bytes, 0, 3) ? bitsAt(bytes, 0, 2, 3) : undefined;
  switch (key) {
    case SenseKey.illegalRequest:
      return { kind: 'field pointer', inCdb: bitAt(bytes, 0, 6), byte: uintAt(bytes, 1, 2), bit: bitPointer };
    case SenseKey.recoveredError:
    case SenseKey.mediumError:
    case SenseKey.hardwareError:
      return { kind: 'actual retry count', count: uintAt(bytes, 1, 2) };
    case SenseKey.noSense:
    case SenseKey.notReady:
      return { kind: 'progress indication', progress: uintAt(bytes, 1, 2) };
    case SenseKey.copyAborted:
      return { kind: 'segment pointer', inSegmentDescriptor: bitAt(bytes, 0, 5), byte: uintAt(bytes, 1, 2), bit: bitPointer };
    case SenseKey.unitAttention:
      return { kind: 'unit attention condition queue overflow', overflow: bitAt(bytes, 0, 0) };
    default:
      return { kind: 'reserved', bytes: Buffer.from(bytes.subarray(0, 3)) };
  }
};

const bitText = (bit: number | undefined): string => (bit === undefined ? '' : ` bit ${bit}`);

/** `field pointer byte 2 bit 5`, `progress 50.0%`, `actual retry count 3`. */
export const describeSenseKeySpecific = (specific: SenseKeySpecific): string => {
  switch (specific.kind) {
    case 'field pointer':
      return `field pointer ${specific.inCdb ? '' : 'parameter data '}byte ${specific.byte}${bitText(specific.bit)}`;
    case 'actual retry count':
      return `actual retry count ${specific.count}`;
    case 'progress indication':
      return `progress ${((specific.progress / 65536) * 100).toFixed(1)}%`;
    case 'segment pointer':
      return `segment pointer ${specific.inSegmentDescriptor ? 'segment descriptor' : 'parameter list'} byte ${specific.byte}${bitText(specific.bit)}`;
    case 'unit attention condition queue overflow':
      return specific.overflow ? 'unit attention condition queue overflowed' : 'unit attention condition queue did not overflow';
    case 'reserved':
      return `sense key specific ${hexBytes(specific.bytes)} (reserved for this sense key)`;
  }
};
