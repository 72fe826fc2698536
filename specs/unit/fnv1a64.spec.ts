import { fc, test } from '@fast-check/jest';
import { fnv1a64 } from '../../harness/guest/wire/fnv1a64';

/** FNV-1a 64 as its definition reads, one BigInt step per byte. */
function referenceFnv1a64(data: Uint8Array): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of data) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) % 2n ** 64n;
  return hash;
}

describe('fnv1a64', () => {
  it.each([
    ['', 0xcbf29ce484222325n],
    ['a', 0xaf63dc4c8601ec8cn],
    ['foobar', 0x85944171f73967e8n],
  ])('of %j is the published test vector', (text, digest) => {
    expect(fnv1a64(Buffer.from(text, 'latin1'))).toBe(digest);
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('agrees with the definition', (data) => {
    expect(fnv1a64(data)).toBe(referenceFnv1a64(data));
  });

  it('digests a disk-sized buffer in well under a second', () => {
    const data = Buffer.alloc(16 * 1024 * 1024, 0xa5);
    const start = process.hrtime.bigint();
    fnv1a64(data);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });
});
