import { ByteReader } from './wire/byte-reader';
import { ByteWriter } from './wire/byte-writer';
import { MalformedMessage } from './wire/malformed-message';
import { visitStretches } from '../case/hex';

// The payloads of docs/agent-protocol.md, typed.

export const PROTOCOL_VERSION = 8;

const MAX_RUN_STRINGS = 64;

/** The most devices one RESET names (the agent's RESET_MAX_DEVICES). */
export const MAX_RESET_DEVICES = 64;
export const SENSE_CAPACITY = 252;

import { ResetKind, resetKinds } from '../scsi/reset-kind';

export type Direction = 'none' | 'from-device' | 'to-device';

const DIRECTIONS: readonly Direction[] = ['none', 'from-device', 'to-device'];

const EXEC_FLAG_DIGEST_ONLY = 0x01;
const EXEC_FLAG_QUEUED = 0x02;
const EXEC_FLAG_RESET = 0x04;
/** The agent's bound on one command's expanded data-out, as on its data-in buffer. */
const MAX_DATA_OUT = 0x0100_0000;
/** The agent's bound: the reply's durations stay well under the maximum payload. */
export const MAX_LOOP_ITERATIONS = 1_000_000;

export interface ExecCommand {
  /** The sg node, e.g. `/dev/sg1`. */
  device: string;
  direction: Direction;
  cdb: Buffer;
  /** The SG_IO buffer size, which may differ from what the CDB asks for. */
  length: number;
  timeoutMs: number;
  /** The byte the data-in buffer holds before the command, so untouched bytes are recognisable. */
  fill: number;
  /** The result's dataIn stays empty and only dataDigest describes the buffer: for when only equality matters. */
  digestOnly?: boolean;
  /** In flight together with the consecutive commands of the batch that are queued too (sg's asynchronous interface). */
  queued?: boolean;
  /** Exactly `length` bytes for 'to-device', otherwise empty. */
  dataOut: Buffer;
  /**
   * Not a SCSI command but the device's reset of this kind (SG_SCSI_RESET, never escalated), in its place in
   * the batch: with `queued`, while the run's commands before it are in flight. Built by `execReset`.
   */
  reset?: ResetKind;
}

/** A batch entry that resets `device`: no data, and the kind's code as its one CDB byte, as the wire has it. */
export const execReset = (device: string, kind: ResetKind, queued: boolean): ExecCommand => ({
  device,
  direction: 'none',
  cdb: Buffer.from([resetKinds.indexOf(kind)]),
  length: 0,
  timeoutMs: 0,
  fill: 0,
  queued,
  dataOut: Buffer.alloc(0),
  reset: kind,
});

/**
 * The most one command's result may take in an EXEC reply, as the agent reckons it before running a batch
 * (agent.c's exec_result_max_size): the fixed fields, the sense buffer, the kernel log's 64 records and 16 KiB
 * of their text, and the data-in unless only its digest comes back. A batch whose sum passes the maximum
 * payload is refused whole.
 */
const EXEC_RESULT_FIXED_BYTES = 4 + 1 + 2 + 2 + 1 + 4 + 4 + 8 + 2 + 8 + 4;
const COMMAND_LOG_MAX_BYTES = 4 + (64 + 1) * (1 + 8 + 8 + 2) + 16_384 + 64;
export const execResultMaxBytes = (command: ExecCommand): number =>
  EXEC_RESULT_FIXED_BYTES + SENSE_CAPACITY + COMMAND_LOG_MAX_BYTES + (command.direction === 'from-device' && command.digestOnly !== true ? command.length : 0);

/** The EXEC reply's own header before its results: type, seq, count. */
export const EXEC_REPLY_HEADER_BYTES = 1 + 4 + 2;

export interface ExecResult {
  /** Nonzero when the SG_IO ioctl itself failed; then every other field but kernelLog is zero or empty. */
  errno: number;
  status: number;
  hostStatus: number;
  driverStatus: number;
  sense: Buffer;
  residual: number;
  info: number;
  durationNs: bigint;
  /** Its rank among the batch's completions, from 0: a command's index, but where queued commands finished in another order. */
  completion: number;
  /** For 'from-device': fnv1a64 of the whole `length`-byte buffer after the command, even when digestOnly; otherwise 0. */
  dataDigest: bigint;
  /** For 'from-device' without digestOnly: the whole `length`-byte buffer after the command; otherwise empty. */
  dataIn: Buffer;
  /** What the kernel logged while the SG_IO ioctl ran, at most 64 records and a note of how many more there were. */
  kernelLog: KernelLogRecord[];
}

/** A program the agent runs in the guest, with exactly this environment. */
export interface RunRequest {
  /** The first is the program's absolute path in the guest. */
  argv: string[];
  /** `NAME=value` strings: the program's whole environment. */
  env: string[];
}

export interface RunResult {
  /** The exit status, or minus the signal that ended the program; 127 when the agent could not run it. */
  status: number;
  /** Standard output and error together, as they came. */
  output: Buffer;
  /** Whether output went past what one reply carries, and its end is missing. */
  truncated: boolean;
}

/** One command run `iterations` times in the guest with nothing between the ioctls. */
export interface LoopRequest {
  command: ExecCommand;
  iterations: number;
}

export interface LoopResult {
  /** The first ioctl failure (or the device's open), which ended the loop early; 0 when every iteration ran. */
  errno: number;
  /** Iterations whose status, host status or driver status was not 0. */
  notGood: number;
  /** CLOCK_MONOTONIC around the whole loop. */
  elapsedNs: bigint;
  /** Per iteration that ran, CLOCK_MONOTONIC around its ioctl. */
  durationsNs: bigint[];
}

export interface GuestDevice {
  sgNode: string;
  host: number;
  channel: number;
  target: number;
  lun: number;
  scsiType: number;
  /** The guest driver bound to the device the SCSI host sits on (a PCI function, a virtio device, a USB interface). */
  driver: string;
  vendor: string;
  model: string;
  revision: string;
  blockNode: string | null;
}

export interface KernelLogRecord {
  /** 0 emerg .. 7 debug. */
  level: number;
  sequence: bigint;
  timestampUs: bigint;
  text: string;
}

export type RequestBody =
  | { type: 'list' }
  | { type: 'exec'; commands: ExecCommand[] }
  /** One reset of each device at once in the guest: no two of them may be on one SCSI host. */
  | { type: 'reset'; devices: string[]; kind: ResetKind }
  | { type: 'klog' }
  | { type: 'poweroff' }
  | { type: 'echo'; data: Buffer }
  | ({ type: 'loop' } & LoopRequest)
  | ({ type: 'run' } & RunRequest);

export type Request = RequestBody & { seq: number };

export interface Hello {
  type: 'hello';
  seq: number;
  protocolVersion: number;
  kernelRelease: string;
  agentVersion: string;
}

export type Reply =
  | Hello
  | { type: 'list'; seq: number; devices: GuestDevice[] }
  | { type: 'exec'; seq: number; results: ExecResult[] }
  | { type: 'reset'; seq: number; errnos: number[] }
  | { type: 'klog'; seq: number; records: KernelLogRecord[] }
  | { type: 'poweroff'; seq: number }
  | { type: 'echo'; seq: number; data: Buffer }
  | ({ type: 'loop'; seq: number } & LoopResult)
  | ({ type: 'run'; seq: number } & RunResult)
  /** Not a reply: an EXEC still running says it finished a slow command, `done` of them so far, and is alive. */
  | { type: 'progress'; seq: number; done: number }
  | { type: 'error'; seq: number; message: string };

const REQUEST_CODES: Record<Request['type'], number> = {
  list: 0x01,
  exec: 0x02,
  reset: 0x03,
  klog: 0x04,
  poweroff: 0x05,
  echo: 0x06,
  loop: 0x07,
  run: 0x08,
};

const REPLY_CODES: Record<Reply['type'], number> = {
  hello: 0x81,
  list: 0x82,
  exec: 0x83,
  reset: 0x84,
  klog: 0x85,
  poweroff: 0x86,
  echo: 0x87,
  loop: 0x88,
  progress: 0x89,
  run: 0x8a,
  error: 0xff,
};

function typeForCode<T extends string>(codes: Record<T, number>, code: number): T {
  const entry = Object.entries(codes).find(([, value]) => value === code);
  if (entry === undefined) throw new MalformedMessage(`unknown message type 0x${code.toString(16).padStart(2, '0')}`);
  return entry[0] as T;
}

function codeOf<T>(values: readonly T[], value: T, what: string): number {
  const code = values.indexOf(value);
  if (code < 0) throw new RangeError(`unknown ${what} ${String(value)}`);
  return code;
}

function valueOf<T>(values: readonly T[], code: number, what: string): T {
  if (code >= values.length) throw new MalformedMessage(`${what} ${code} out of range`);
  return values[code];
}

/** Why a command breaks the rules of the wire format, or undefined when it does not. */
function execCommandProblem(command: ExecCommand): string | undefined {
  if (command.cdb.length < 1 || command.cdb.length > 255) return `CDB length ${command.cdb.length} is not 1..255`;
  if (command.reset !== undefined && (command.direction !== 'none' || command.length !== 0 || !command.cdb.equals(Buffer.from([resetKinds.indexOf(command.reset)])))) {
    return `a ${command.reset} reset entry carries no data and its kind's code as its one CDB byte`;
  }
  const expectedOut = command.direction === 'to-device' ? command.length : 0;
  if (command.dataOut.length !== expectedOut) {
    return `${command.dataOut.length} data-out bytes where ${expectedOut} are expected`;
  }
  return undefined;
}

function writeExecCommand(writer: ByteWriter, command: ExecCommand): void {
  const problem = execCommandProblem(command);
  if (problem !== undefined) throw new RangeError(`EXEC command for ${command.device}: ${problem}`);
  writer
    .str(command.device)
    .u8(codeOf(DIRECTIONS, command.direction, 'direction'))
    .u8(command.cdb.length)
    .bytes(command.cdb)
    .u32(command.length)
    .u32(command.timeoutMs)
    .u8(command.fill)
    .u8((command.digestOnly === true ? EXEC_FLAG_DIGEST_ONLY : 0) | (command.queued === true ? EXEC_FLAG_QUEUED : 0) | (command.reset !== undefined ? EXEC_FLAG_RESET : 0));
  writeDataOut(writer, command.dataOut);
}

const DATA_OUT_LITERAL = 0;
const DATA_OUT_RUN = 1;

/**
 * A run on the wire costs six bytes and splits the literal around it into two pieces (five bytes more): from
 * sixteen bytes on it always saves, so a frame never carries more than the data-out's own bytes and a little.
 */
const MIN_WIRE_RUN = 16;

/**
 * Data-out as the agent expands it: literal stretches and runs of one byte, so that only literal bytes cross
 * the line. Counted in one walk and written in a second, each piece straight into the writer: megabytes of
 * data-out with a run every few bytes make no object per piece.
 */
function writeDataOut(writer: ByteWriter, dataOut: Buffer): void {
  let pieces = 0;
  visitStretches(dataOut, MIN_WIRE_RUN, { plain: () => pieces++, run: () => pieces++ });
  writer.u32(pieces);
  visitStretches(dataOut, MIN_WIRE_RUN, {
    plain: (start, end) => writer.u8(DATA_OUT_LITERAL).bytes32(dataOut.subarray(start, end)),
    run: (byte, count) => writer.u8(DATA_OUT_RUN).u8(byte).u32(count),
  });
}

function readDataOut(reader: ByteReader, what: string): Buffer {
  const count = reader.u32();
  const pieces: Buffer[] = [];
  let total = 0;
  for (let index = 0; index < count; index++) {
    const kind = reader.u8();
    if (kind === DATA_OUT_LITERAL) pieces.push(reader.bytes32());
    else if (kind === DATA_OUT_RUN) {
      const byte = reader.u8();
      const length = reader.u32();
      if (total + length > MAX_DATA_OUT) throw new MalformedMessage(`${what}: data-out over ${MAX_DATA_OUT} bytes`);
      pieces.push(Buffer.alloc(length, byte));
    } else throw new MalformedMessage(`${what}: data-out piece of kind ${kind}`);
    total += pieces[pieces.length - 1].length;
  }
  return Buffer.concat(pieces);
}

/** Throws RangeError for values the wire format cannot carry. */
export function encodeRequest(request: Request): Buffer {
  const writer = new ByteWriter().u8(REQUEST_CODES[request.type]).u32(request.seq);
  switch (request.type) {
    case 'exec':
      writer.u16(request.commands.length);
      for (const command of request.commands) writeExecCommand(writer, command);
      break;
    case 'loop':
      if (!Number.isInteger(request.iterations) || request.iterations < 1 || request.iterations > MAX_LOOP_ITERATIONS) {
        throw new RangeError(`LOOP of ${request.iterations} iterations: not 1..${MAX_LOOP_ITERATIONS}`);
      }
      writeExecCommand(writer.u32(request.iterations), request.command);
      break;
    case 'reset':
      if (request.devices.length < 1 || request.devices.length > MAX_RESET_DEVICES) throw new RangeError(`a RESET names 1 to ${MAX_RESET_DEVICES} devices, not ${request.devices.length}`);
      writer.u16(request.devices.length);
      for (const device of request.devices) writer.str(device);
      writer.u8(codeOf(resetKinds, request.kind, 'reset kind'));
      break;
    case 'echo':
      writer.bytes32(request.data);
      break;
    case 'run':
      for (const [what, strings, minimum] of [['argument', request.argv, 1], ['environment string', request.env, 0]] as const) {
        if (strings.length < minimum || strings.length > MAX_RUN_STRINGS) throw new RangeError(`a RUN carries ${minimum} to ${MAX_RUN_STRINGS} ${what}s, not ${strings.length}`);
        writer.u16(strings.length);
        for (const string of strings) writer.str(string);
      }
      break;
    case 'list':
    case 'klog':
    case 'poweroff':
      break;
  }
  return writer.finish();
}

/** Throws MalformedMessage for anything the agent would reject. */
export function decodeRequest(payload: Buffer): Request {
  const reader = new ByteReader(payload);
  const type = typeForCode(REQUEST_CODES, reader.u8());
  const seq = reader.u32();
  const request = decodeRequestBody(reader, type);
  reader.expectEnd();
  return { ...request, seq };
}

function execFlags(flags: number): { digestOnly: boolean; queued: boolean; reset: boolean } {
  if ((flags & ~(EXEC_FLAG_DIGEST_ONLY | EXEC_FLAG_QUEUED | EXEC_FLAG_RESET)) !== 0) throw new MalformedMessage(`unknown EXEC flags 0x${flags.toString(16).padStart(2, '0')}`);
  return { digestOnly: (flags & EXEC_FLAG_DIGEST_ONLY) !== 0, queued: (flags & EXEC_FLAG_QUEUED) !== 0, reset: (flags & EXEC_FLAG_RESET) !== 0 };
}

function readExecCommand(reader: ByteReader, what: string): ExecCommand {
  const device = reader.str();
  const direction = valueOf(DIRECTIONS, reader.u8(), 'direction');
  const cdb = reader.bytes(reader.u8());
  const length = reader.u32();
  const timeoutMs = reader.u32();
  const fill = reader.u8();
  const { reset, ...flags } = execFlags(reader.u8());
  const command: ExecCommand = {
    device,
    direction,
    cdb,
    length,
    timeoutMs,
    fill,
    ...flags,
    dataOut: readDataOut(reader, what),
    ...(reset && { reset: valueOf(resetKinds, cdb[0] ?? 0xff, 'reset kind') }),
  };
  const problem = execCommandProblem(command);
  if (problem !== undefined) throw new MalformedMessage(`${what}: ${problem}`);
  return command;
}

function decodeRequestBody(reader: ByteReader, type: Request['type']): RequestBody {
  switch (type) {
    case 'exec': {
      const count = reader.u16();
      const commands: ExecCommand[] = [];
      for (let index = 0; index < count; index++) commands.push(readExecCommand(reader, `EXEC command ${index}`));
      return { type, commands };
    }
    case 'loop': {
      const iterations = reader.u32();
      if (iterations < 1 || iterations > MAX_LOOP_ITERATIONS) throw new MalformedMessage(`LOOP of ${iterations} iterations`);
      return { type, iterations, command: readExecCommand(reader, 'LOOP command') };
    }
    case 'reset':
      return { type, devices: repeat(reader.u16(), () => reader.str()), kind: valueOf(resetKinds, reader.u8(), 'reset kind') };
    case 'echo':
      return { type, data: reader.bytes32() };
    case 'run':
      return { type, argv: repeat(reader.u16(), () => reader.str()), env: repeat(reader.u16(), () => reader.str()) };
    case 'list':
    case 'klog':
    case 'poweroff':
      return { type };
  }
}

/** Throws RangeError for values the wire format cannot carry. */
export function encodeReply(reply: Reply): Buffer {
  const writer = new ByteWriter().u8(REPLY_CODES[reply.type]).u32(reply.seq);
  switch (reply.type) {
    case 'hello':
      writer.u32(reply.protocolVersion).str(reply.kernelRelease).str(reply.agentVersion);
      break;
    case 'list':
      writer.u16(reply.devices.length);
      for (const device of reply.devices) {
        writer
          .str(device.sgNode)
          .u32(device.host)
          .u32(device.channel)
          .u32(device.target)
          .u32(device.lun)
          .u8(device.scsiType)
          .str(device.driver)
          .str(device.vendor)
          .str(device.model)
          .str(device.revision)
          .str(device.blockNode ?? '');
      }
      break;
    case 'exec':
      writer.u16(reply.results.length);
      for (const result of reply.results) {
        writer
          .i32(result.errno)
          .u8(result.status)
          .u16(result.hostStatus)
          .u16(result.driverStatus)
          .u8(result.sense.length)
          .bytes(result.sense)
          .i32(result.residual)
          .u32(result.info)
          .u64(result.durationNs)
          .u16(result.completion)
          .u64(result.dataDigest)
          .bytes32(result.dataIn);
        writeKernelLogRecords(writer, result.kernelLog);
      }
      break;
    case 'reset':
      writer.u16(reply.errnos.length);
      for (const errno of reply.errnos) writer.i32(errno);
      break;
    case 'klog':
      writeKernelLogRecords(writer, reply.records);
      break;
    case 'echo':
      writer.bytes32(reply.data);
      break;
    case 'loop':
      writer.i32(reply.errno).u32(reply.notGood).u64(reply.elapsedNs).u32(reply.durationsNs.length);
      for (const duration of reply.durationsNs) writer.u64(duration);
      break;
    case 'progress':
      writer.u16(reply.done);
      break;
    case 'run':
      writer.i32(reply.status).u8(reply.truncated ? 1 : 0).bytes32(reply.output);
      break;
    case 'error':
      writer.str(reply.message);
      break;
    case 'poweroff':
      break;
  }
  return writer.finish();
}

function writeKernelLogRecords(writer: ByteWriter, records: readonly KernelLogRecord[]): void {
  writer.u32(records.length);
  for (const record of records) writer.u8(record.level).u64(record.sequence).u64(record.timestampUs).str(record.text);
}

/** Throws MalformedMessage on any malformed input, trailing bytes included. */
export function decodeReply(payload: Buffer): Reply {
  const reader = new ByteReader(payload);
  const type = typeForCode(REPLY_CODES, reader.u8());
  const seq = reader.u32();
  const reply = decodeReplyBody(reader, type, seq);
  reader.expectEnd();
  return reply;
}

function decodeReplyBody(reader: ByteReader, type: Reply['type'], seq: number): Reply {
  switch (type) {
    case 'hello':
      return { type, seq, protocolVersion: reader.u32(), kernelRelease: reader.str(), agentVersion: reader.str() };
    case 'list':
      return { type, seq, devices: repeat(reader.u16(), () => decodeDevice(reader)) };
    case 'exec':
      return { type, seq, results: repeat(reader.u16(), () => decodeExecResult(reader)) };
    case 'reset':
      return { type, seq, errnos: repeat(reader.u16(), () => reader.i32()) };
    case 'klog':
      return { type, seq, records: decodeKernelLogRecords(reader) };
    case 'poweroff':
      return { type, seq };
    case 'echo':
      return { type, seq, data: reader.bytes32() };
    case 'loop':
      return { type, seq, errno: reader.i32(), notGood: reader.u32(), elapsedNs: reader.u64(), durationsNs: repeat(reader.u32(), () => reader.u64()) };
    case 'progress':
      return { type, seq, done: reader.u16() };
    case 'run':
      return { type, seq, status: reader.i32(), truncated: reader.u8() !== 0, output: reader.bytes32() };
    case 'error':
      return { type, seq, message: reader.str() };
  }
}

function repeat<T>(count: number, decode: () => T): T[] {
  const items: T[] = [];
  for (let index = 0; index < count; index++) items.push(decode());
  return items;
}

function decodeDevice(reader: ByteReader): GuestDevice {
  return {
    sgNode: reader.str(),
    host: reader.u32(),
    channel: reader.u32(),
    target: reader.u32(),
    lun: reader.u32(),
    scsiType: reader.u8(),
    driver: reader.str(),
    vendor: reader.str(),
    model: reader.str(),
    revision: reader.str(),
    blockNode: reader.str() || null,
  };
}

function decodeExecResult(reader: ByteReader): ExecResult {
  return {
    errno: reader.i32(),
    status: reader.u8(),
    hostStatus: reader.u16(),
    driverStatus: reader.u16(),
    sense: reader.bytes(reader.u8()),
    residual: reader.i32(),
    info: reader.u32(),
    durationNs: reader.u64(),
    completion: reader.u16(),
    dataDigest: reader.u64(),
    dataIn: reader.bytes32(),
    kernelLog: decodeKernelLogRecords(reader),
  };
}

function decodeKernelLogRecords(reader: ByteReader): KernelLogRecord[] {
  return repeat(reader.u32(), () => ({ level: reader.u8(), sequence: reader.u64(), timestampUs: reader.u64(), text: reader.str() }));
}
