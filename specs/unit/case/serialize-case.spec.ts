import { fc, test } from '@fast-check/jest';
import { parseCase } from '../../../harness/case/parse-case';
import { serializeCase } from '../../../harness/case/serialize-case';
import { caseArb } from './case-arbitraries';

const HAND_WRITTEN = `{
  "steps": [
    { "dir": "to-device", "length": 520, "data": "00 01 FF*510 0203040506070809", "cdb": "2A 00 00000010 00 00 01 00" },
    { "path": "virtio-scsi:scsi-hd", "reset": "bus", "expect": { "z": 1, "a": { "y": [ { "c": 0, "b": 1 } ], "x": 2 } } },
    { "dir": "none", "cdb": "00 00 00 00 00 00", "length": 0, "timeoutMs": 1000 }
  ],
  "disk": { "content": "zero", "bytes": 4096 },
  "paths": ["megasas:scsi-hd", "virtio-scsi:scsi-hd"],
  "provenance": { "note": "by hand", "seed": 7 },
  "format": "hbadiff-case/1"
}`;

const CANONICAL = `{
  "format": "hbadiff-case/1",
  "paths": [
    "megasas:scsi-hd",
    "virtio-scsi:scsi-hd"
  ],
  "disk": {
    "bytes": 4096,
    "content": "zero"
  },
  "provenance": {
    "seed": 7,
    "note": "by hand"
  },
  "steps": [
    {
      "cdb": "2a 00 00 00 00 10 00 00 01 00",
      "dir": "to-device",
      "length": 520,
      "data": "00 01 ff*510 02 03 04 05 06 07 08 09"
    },
    {
      "reset": "bus",
      "path": "virtio-scsi:scsi-hd",
      "expect": {
        "a": {
          "x": 2,
          "y": [
            {
              "b": 1,
              "c": 0
            }
          ]
        },
        "z": 1
      }
    },
    {
      "cdb": "00 00 00 00 00 00",
      "dir": "none",
      "timeoutMs": 1000
    }
  ]
}
`;

describe('serializeCase', () => {
  it('writes canonical text: fixed key order, spaced lowercase hex, runs as XX*N, sorted expect keys', () => {
    expect(serializeCase(parseCase(HAND_WRITTEN, 'hand.json'))).toBe(CANONICAL);
  });

  it('writes a none step with a buffer with its length', () => {
    const text = serializeCase(
      parseCase('{"format": "hbadiff-case/1", "steps": [{"cdb": "00", "dir": "none", "length": 4}]}', 'c.json'),
    );
    expect(JSON.parse(text).steps).toEqual([{ cdb: '00', dir: 'none', length: 4 }]);
  });

  test.prop([caseArb])('reads back as the same case', (testCase) => {
    expect(parseCase(serializeCase(testCase), 'round-trip.json')).toEqual(testCase);
  });

  test.prop([caseArb])('is stable: the text of a case read back is the text it was read from', (testCase) => {
    const text = serializeCase(testCase);
    expect(serializeCase(parseCase(text, 'round-trip.json'))).toBe(text);
  });

  test.prop([caseArb, fc.nat()])('does not depend on the key order of what was read', (testCase, seed) => {
    const shuffled = JSON.stringify(shuffleKeys(JSON.parse(serializeCase(testCase)), seed));
    expect(serializeCase(parseCase(shuffled, 'shuffled.json'))).toBe(serializeCase(testCase));
  });
});

/** Rebuilds every object of a JSON value with its keys in an order chosen by `seed`. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, seed));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const rotation = entries.length === 0 ? 0 : seed % entries.length;
  const reordered = [...entries.slice(rotation), ...entries.slice(0, rotation)].reverse();
  return Object.fromEntries(reordered.map(([key, child]) => [key, shuffleKeys(child, seed)]));
}
