import { commandScope, scopeText } from '../../../harness/diff/command-scope';
import { cdb } from '../../../harness/scsi/cdb';

const scopeOf = (...bytes: number[]): string => scopeText(commandScope(cdb(bytes)));

describe('commandScope', () => {
  it("names a family's member as the command's own layout says: VPD page or standard data, mode page, service action", () => {
    expect(scopeOf(0x12, 0, 0, 0, 36, 0)).toBe('12/standard');
    expect(scopeOf(0x12, 1, 0xb0, 0, 4, 0)).toBe('12/b0');
    expect(scopeOf(0x1a, 0, 0x3f, 0, 0xff, 0)).toBe('1a/3f');
    expect(scopeOf(0x5a, 0, 0x08, 0, 0, 0, 0, 0, 0xff, 0)).toBe('5a/08');
    expect(scopeOf(0x15, 0x10, 0, 0, 12, 0)).toBe('15');
    expect(scopeOf(0x9e, 0x10)).toBe('9e/sa10');
    expect(scopeOf(0xa3, 0x0c)).toBe('a3/sa0c');
    expect(scopeOf(0x5f, 0x03)).toBe('5f/sa03');
    expect(scopeOf(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)).toBe('28');
  });

  it('keeps a service action the table does not know within its opcode, and every unknown opcode as one', () => {
    expect(scopeOf(0x9e, 0x05)).toBe('9e/sa05');
    expect(scopeOf(0xc0, 0, 0, 0, 0, 0)).toBe('unknown');
    expect(scopeOf(0xff)).toBe('unknown');
  });

  it('reads a CDB shorter than its layout as zero-filled, as the campaign sends them', () => {
    expect(scopeOf(0x12)).toBe('12/standard');
    expect(scopeOf(0x12, 0x01)).toBe('12/00');
    expect(scopeOf(0x1a)).toBe('1a/00');
    expect(scopeOf(0x5e)).toBe('5e/sa00');
  });
});
