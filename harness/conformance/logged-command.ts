import { parseHex } from '../case/hex';
import { DEFAULT_MAX_BUFFER_BYTES } from '../case/parse-case';
import { Cdb, cdb, DataDirection } from '../scsi/cdb';
import { ScsiCommand } from '../scsi/command';

/** One SG_IO a program sent in the guest, as guests/sgio-log wrote it: the command, and what came back to it. */
export interface LoggedCommand {
  readonly cdb: Cdb;
  readonly direction: DataDirection;
  readonly length: number;
  /** For `to-device`, its bytes where the log has them (HBADIFF_SGIO_DATA_OUT=1); absent where it left them out. */
  readonly dataOut?: Buffer;
  readonly answer: {
    /** Nonzero when the ioctl itself failed. */
    readonly errno: number;
    readonly status: number;
    readonly hostStatus: number;
    readonly driverStatus: number;
    readonly residual: number;
    readonly sense: Buffer;
  };
}

/** What starts each line guests/sgio-log writes: the program's own lines never do. */
export const SGIO_LINE_MARKER = '~SGIO ';

/** sg_io_hdr's dxfer_direction values (scsi/sg.h). */
const DIRECTIONS: Readonly<Record<string, DataDirection>> = { '-1': 'none', '-2': 'to-device', '-3': 'from-device' };

const hexSyntax = { runs: true, maxBytes: DEFAULT_MAX_BUFFER_BYTES };

/** What the log writes for data-out it leaves out. */
const OMITTED = '-';

/** The environment that has guests/sgio-log write data-out too, for the runs whose commands become cases. */
export const SGIO_DATA_OUT_ENV = 'HBADIFF_SGIO_DATA_OUT=1';

/**
 * Each command's SG_IO timeout, at most, as the harness holds its own (harness/session/guest-session.ts):
 * every command a device answers takes under 0.2 s under TCG.
 */
export const SGIO_MAX_TIMEOUT_ENV = 'HBADIFF_SGIO_MAX_TIMEOUT_MS=10000';

class MalformedSgioLine extends Error {
  override readonly name = 'MalformedSgioLine';
}

/** The command of one `~SGIO dir=…;len=…;cdb=…;out=…;errno=…;status=…;host=…;driver=…;resid=…;sense=…` line. */
export const parseSgioLine = (line: string): LoggedCommand => {
  const fields = new Map(
    line
      .slice(SGIO_LINE_MARKER.length)
      .split(';')
      .map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)] as const),
  );
  const text = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined) throw new MalformedSgioLine(`SG_IO line without ${name}: ${line.slice(0, 120)}`);
    return value;
  };
  const integer = (name: string): number => {
    const value = Number(text(name));
    if (!Number.isInteger(value)) throw new MalformedSgioLine(`SG_IO line's ${name} is not a number: ${line.slice(0, 120)}`);
    return value;
  };
  // libiscsi leaves dxfer_direction 0 on a command without data, which the kernel takes as no transfer.
  const direction = text('dir') === '0' && integer('len') === 0 ? 'none' : DIRECTIONS[text('dir')];
  // SG_DXFER_TO_FROM_DEV and unknown directions never come from libiscsi; a case cannot say them either.
  if (direction === undefined) throw new MalformedSgioLine(`SG_IO line with direction ${text('dir')}: ${line.slice(0, 120)}`);
  const length = integer('len');
  const dataOut = direction === 'to-device' && text('out') !== OMITTED ? parseHex(text('out'), hexSyntax) : undefined;
  if (dataOut && dataOut.length !== length) throw new MalformedSgioLine(`SG_IO line with ${dataOut.length} data-out bytes for a ${length}-byte transfer: ${line.slice(0, 120)}`);
  return {
    cdb: cdb(parseHex(text('cdb'), hexSyntax)),
    direction,
    length,
    ...(dataOut ? { dataOut } : {}),
    answer: {
      errno: integer('errno'),
      status: integer('status'),
      hostStatus: integer('host'),
      driverStatus: integer('driver'),
      residual: integer('resid'),
      sense: parseHex(text('sense'), hexSyntax),
    },
  };
};

/** The command as a case replays it; undefined when its data-out was left out of the log. */
export const replayableCommand = (logged: LoggedCommand): ScsiCommand | undefined => {
  if (logged.direction === 'to-device' && logged.dataOut === undefined) return undefined;
  return { cdb: logged.cdb, direction: logged.direction, length: logged.length, ...(logged.dataOut ? { dataOut: logged.dataOut } : {}) };
};
