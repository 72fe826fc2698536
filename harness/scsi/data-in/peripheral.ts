import { number } from '../layout/field';
import { bitsIn } from '../layout/field-place';

/** PERIPHERAL DEVICE TYPE values (SPC-5, Table "Peripheral device type"). */
export const peripheralDeviceTypeNames: Readonly<Record<number, string>> = {
  0x00: 'direct access block device',
  0x01: 'sequential access device',
  0x02: 'printer device',
  0x03: 'processor device',
  0x04: 'write-once device',
  0x05: 'CD/DVD device',
  0x07: 'optical memory device',
  0x08: 'media changer device',
  0x0c: 'storage array controller device',
  0x0d: 'enclosure services device',
  0x0e: 'simplified direct-access device',
  0x0f: 'optical card reader/writer device',
  0x11: 'object-based storage device',
  0x12: 'automation/drive interface',
  0x14: 'host managed zoned block device',
  0x1e: 'well known logical unit',
  0x1f: 'unknown or no device type',
};

/** PERIPHERAL QUALIFIER values (SPC-5); the others are reserved or vendor specific. */
const peripheralQualifierNames: Readonly<Record<number, string>> = {
  0: 'device type connected',
  1: 'device type supported, not connected',
  3: 'no device type supported',
};

/** Byte 0 of INQUIRY data and of every VPD page. */
export const peripheralFields = {
  peripheralQualifier: number('PERIPHERAL QUALIFIER', bitsIn(0, 7, 3), { names: peripheralQualifierNames, othersReserved: true }),
  peripheralDeviceType: number('PERIPHERAL DEVICE TYPE', bitsIn(0, 4, 5), { names: peripheralDeviceTypeNames }),
};
