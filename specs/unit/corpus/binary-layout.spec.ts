import { Case } from '../../../harness/case/case-types';
import { readBinaryCase } from '../../../harness/corpus/read-binary-case';
import { writeBinaryCase } from '../../../harness/corpus/write-binary-case';
import { PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';

/** The layout docs/corpus-format.md gives, byte by byte, for a case a fuzzer harness could start from. */
describe('the binary case layout', () => {
  const testCase: Case = {
    paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'] as PathId[],
    steps: [
      { kind: 'command', command: { cdb: cdb([0x12, 0, 0, 0, 0x24, 0]), direction: 'from-device', length: 255 } },
      {
        kind: 'command',
        command: { cdb: cdb([0x2a, 0, 0, 0, 0, 0x10, 0, 0, 1, 0]), direction: 'to-device', length: 512, dataOut: Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(510, 0xff)]) },
        timeoutMs: 1500,
      },
      { kind: 'reset', reset: 'bus', path: 'virtio-scsi:scsi-hd' as PathId },
    ],
  };
  const paths = '{"paths":["megasas:scsi-hd","virtio-scsi:scsi-hd"]}';
  const timeout = '{"timeoutMs":1500}';
  const bytes = Buffer.concat([
    Buffer.from('HBDC', 'latin1'),
    Buffer.from([0x01, 0x00]), // version 1
    Buffer.from([0x03, 0x00, 0x00, 0x00]), // 3 steps
    Buffer.from([paths.length, 0, 0, 0]),
    Buffer.from(paths, 'utf8'),
    // INQUIRY: command, from-device, 6-byte CDB, 255-byte buffer, the CDB, no annotation
    Buffer.from([0x01, 0x01, 0x06, 0xff, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00]),
    // WRITE (10): command, to-device, 10-byte CDB, 512-byte buffer, the CDB
    Buffer.from([0x01, 0x02, 0x0a, 0x00, 0x02, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x01, 0x00]),
    Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]), // 2 literal bytes: 00 01
    Buffer.from([0xfe, 0x01, 0x00, 0x80, 0xff]), // a run of 510 ff
    Buffer.from([timeout.length, 0, 0, 0]),
    Buffer.from(timeout, 'utf8'),
    // bus reset aimed at path 1 (virtio-scsi:scsi-hd), no annotation
    Buffer.from([0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
  ]);

  it('writes exactly the documented bytes', () => {
    expect(writeBinaryCase(testCase).toString('hex')).toBe(bytes.toString('hex'));
  });

  it('reads the documented bytes as the case', () => {
    expect(readBinaryCase(bytes, 'hand.hbdc')).toEqual(testCase);
  });

  it('reads data-out cut into segments other than its own', () => {
    const literal = Buffer.from(bytes);
    const cut = Buffer.concat([
      bytes.subarray(0, bytes.indexOf(Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]))),
      Buffer.from([0x01, 0x00, 0x00, 0x80, 0x00]), // a run of one 00
      Buffer.from([0x03, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff]), // 01 ff ff as literals
      Buffer.from([0xfc, 0x01, 0x00, 0x80, 0xff]), // 508 ff
      literal.subarray(literal.indexOf(Buffer.from([timeout.length, 0, 0, 0, 0x7b]))),
    ]);
    expect(readBinaryCase(cut, 'cut.hbdc')).toEqual(testCase);
  });
});
