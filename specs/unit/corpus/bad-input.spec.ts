import { fc, test } from '@fast-check/jest';
import { UserError } from '../../../harness/errors/user-error';
import { readBinaryCase } from '../../../harness/corpus/read-binary-case';
import { readSgRawScript } from '../../../harness/corpus/read-sg-raw-script';
import { writeBinaryCase } from '../../../harness/corpus/write-binary-case';
import { writeSgRawScript } from '../../../harness/corpus/write-sg-raw-script';
import { parseCase } from '../../../harness/case/parse-case';
import { caseArb } from '../case/case-arbitraries';
import { cdb } from '../../../harness/scsi/cdb';

const errorOf = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('read without an error');
};

const sample = parseCase(
  JSON.stringify({
    format: 'hbadiff-case/1',
    paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'],
    steps: [
      { cdb: '2a 00 00 00 00 10 00 00 01 00', dir: 'to-device', length: 512, data: '00 01 ff*510' },
      { reset: 'bus', path: 'virtio-scsi:scsi-hd' },
    ],
  }),
  'sample.json',
);
const binary = writeBinaryCase(sample);
const script = writeSgRawScript(sample);

/** A one-step binary case of a host event with the given code and value, up to its annotation. */
const hostStep = (code: number, bytes = 0n, io = 0): Buffer => {
  const header = Buffer.from([...Buffer.from('HBDC', 'latin1'), 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x03, code, io]);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(bytes);
  return Buffer.concat([header, size]);
};

const patched = (offset: number, ...bytes: number[]): Buffer => {
  const copy = Buffer.from(binary);
  copy.set(bytes, offset);
  return copy;
};

/** A malformed corpus file is one line naming the file and what is wrong with it, never a crash. */
describe('a malformed binary case', () => {
  it.each([
    ['garbage', Buffer.from('garbage!'), /^g\.hbdc: not a binary case: it starts 67 61 72 62, not 48 42 44 43 \("HBDC"\)$/],
    ['an empty file', Buffer.alloc(0), /^g\.hbdc: not a binary case: it starts empty/],
    ['another version', patched(4, 2), /^g\.hbdc: binary case version 2; this hbadiff reads version 1$/],
    ['an unknown step kind', patched(binary.indexOf(0x2a) - 7, 9), /^g\.hbdc: step 0 has kind 9, not 1 \(command\), 2 \(reset\) or 3 \(host event\)$/],
    ['an unknown direction', patched(binary.indexOf(0x2a) - 6, 7), /^g\.hbdc: direction code 7 is not one of 0 to 2$/],
    ['trailing bytes', Buffer.concat([binary, Buffer.from([0])]), /^g\.hbdc: 1 bytes after the last step$/],
    [
      'a CDB longer than megasas carries',
      writeBinaryCase({ paths: sample.paths, steps: [{ kind: 'command', command: { cdb: cdb(Buffer.alloc(17)), direction: 'none', length: 0 } }] }),
      /^g\.hbdc: steps\[0\]\.cdb: 17 bytes, but megasas:scsi-hd carries at most 16$/,
    ],
    ['an unknown host event', Buffer.concat([hostStep(0x07), Buffer.alloc(4)]), /^g\.hbdc: host event code 7 is not one of 0 to 6$/],
    ['a pause with a size', Buffer.concat([hostStep(0x00, 512n), Buffer.alloc(4)]), /^g\.hbdc: step 0: pause with a value of 512$/],
    ['a pause with an I/O kind', Buffer.concat([hostStep(0x00, 0n, 1), Buffer.alloc(4)]), /^g\.hbdc: step 0: pause with an I\/O kind of 1$/],
    ['an I/O error of an unknown kind', Buffer.concat([hostStep(0x04, 8n, 2), Buffer.alloc(4)]), /^g\.hbdc: I\/O kind code 2 is not one of 0 to 1$/],
    ['a resize off the block size', Buffer.concat([hostStep(0x01, 1000n), Buffer.alloc(4)]), /^g\.hbdc: steps\[0\]\.bytes: 1000 is not a whole number of 512-byte blocks$/],
  ])('%s', (_what, bytes, message) => {
    expect(errorOf(() => readBinaryCase(bytes, 'g.hbdc'))).toMatch(message);
  });

  it('every truncation of a good file', () => {
    for (let length = 0; length < binary.length; length++) {
      const message = errorOf(() => readBinaryCase(binary.subarray(0, length), 'cut.hbdc'));
      expect(message).toMatch(/^cut\.hbdc: (truncated: needed \d+ bytes at offset \d+, only \d+ left|not a binary case: .*)$/);
    }
  });

  test.prop([caseArb.map(writeBinaryCase).chain((bytes) => fc.tuple(fc.constant(bytes), fc.nat(bytes.length - 1), fc.nat(255)))], { numRuns: 300 })(
    'any byte changed reads as a case or fails in one line naming the file',
    ([bytes, offset, value]) => {
      const mutated = Buffer.from(bytes);
      mutated[offset] = value;
      try {
        readBinaryCase(mutated, 'm.hbdc');
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).message).toMatch(/^m\.hbdc[:]/);
        expect((error as UserError).message).not.toContain('\n');
      }
    },
  );
});

describe('an sg_raw script of a case with a host event', () => {
  it('is refused in one line: only QEMU\'s host can pause the VM or resize its disks', () => {
    const withPause = parseCase(JSON.stringify({ format: 'hbadiff-case/1', steps: [{ cdb: '00 00 00 00 00 00', dir: 'none' }, { host: 'pause' }] }), 'pause.json');
    expect(errorOf(() => writeSgRawScript(withPause))).toBe(
      "step 1 is a host event (pause): an sg_raw script runs inside the guest, and only QEMU's host can do that; write the binary format or keep the case file",
    );
  });
});

describe('a malformed sg_raw script', () => {
  const edited = (from: string, to: string): string => {
    expect(script).toContain(from);
    return script.replace(from, to);
  };

  it.each([
    ['a line hbadiff does not write', () => edited('set -u', 'set -u\nrm -rf /tmp/x'), /^s\.sh:\d+: not a line hbadiff writes: "rm -rf \/tmp\/x"$/],
    ['no case annotation', () => edited('# hbadiff-case: ', '# case: '), /^s\.sh:\d+: no "# hbadiff-case:" line before the first step: not an sg_raw script hbadiff wrote$/],
    ['data shorter than -s says', () => edited('-s 512', '-s 600'), /^s\.sh:\d+: sg_raw -s 600, but the data block before it writes 512 bytes$/],
    ['an option hbadiff does not write', () => edited('sg_raw -s 512', 'sg_raw -v 1 -s 512'), /^s\.sh:\d+: sg_raw -v is not an option hbadiff writes$/],
    ['a data block never closed', () => edited('} >"$data"', ''), /^s\.sh:\d+: expected printf/],
    ['a reset hbadiff does not write', () => edited('sg_reset --bus', 'sg_reset --lun'), /^s\.sh:\d+: sg_reset --lun is not a reset hbadiff writes$/],
    ['a reset aimed past the paths', () => edited('-ge 2 ]; then nth 2', '-ge 5 ]; then nth 5'), /^s\.sh:\d+: a reset aimed at path 5, but the case has 2 paths$/],
    ['bad JSON in an annotation', () => edited('# hbadiff-case: {', '# hbadiff-case: {,'), /^s\.sh:6: the annotation is not JSON: expected a property name in double quotes, found ",", at column 2$/],
    ['an unknown annotation field', () => edited('# hbadiff-case: {', '# hbadiff-case: {"colour":1,'), /^s\.sh:6: annotation field "colour" is not one of paths, disk, provenance$/],
    ['a path the format refuses', () => edited('"megasas:scsi-hd"', '"ahci:scsi-hd"'), /^s\.sh: paths\[0\]: unknown HBA "ahci"/],
  ])('%s', (_what, text, message) => {
    expect(errorOf(() => readSgRawScript(text(), 's.sh'))).toMatch(message);
  });
});
