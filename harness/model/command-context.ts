import { Cdb } from '../scsi/cdb';
import { CommandLayout } from '../scsi/layout/command-layout';
import { FieldValue } from '../scsi/layout/field';
import { DeviceState } from './device-state';

/** One command as a family of the model sees it: the CDB's fields by their keys, the state, the parameter data. */
export class CommandContext {
  constructor(
    readonly cdb: Cdb,
    readonly layout: CommandLayout,
    private readonly values: Readonly<Record<string, FieldValue>>,
    readonly state: DeviceState,
    /** What the device receives of the data-out, up to what the CDB asks for; undefined when the host sent less. */
    readonly parameters: Buffer | undefined,
  ) {}

  number(key: string): number {
    const value = this.values[key];
    return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : value ? 1 : 0;
  }

  flag(key: string): boolean {
    return this.values[key] === true;
  }

  wide(key: string): bigint {
    const value = this.values[key];
    return typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? value : 0);
  }

  /** The CDB byte a field starts in, for field pointers. */
  byteOf(key: string): number {
    return this.layout.fields[key].place[0].byte;
  }

  /** The key choices are recorded under: the opcode, with the service action where one selects the command. */
  get commandKey(): string {
    return commandKeyOf(this.cdb);
  }
}

const serviceActionOpcodes = new Set([0x5e, 0x5f, 0x7f, 0x83, 0x84, 0x86, 0x87, 0x94, 0x95, 0x9d, 0x9e, 0x9f, 0xa3, 0xa4]);

/** `28`, or `9e/10` where the opcode is a family selected by a service action. */
export const commandKeyOf = (cdb: Uint8Array): string => {
  const opcode = (cdb[0] ?? 0).toString(16).padStart(2, '0');
  return serviceActionOpcodes.has(cdb[0] ?? 0) ? `${opcode}/${((cdb[1] ?? 0) & 0x1f).toString(16).padStart(2, '0')}` : opcode;
};
