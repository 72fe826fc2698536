/** Mode pages of a direct access block device by page code, subpage 00h (SPC-5, SBC-4). */
export const modePageNames: Readonly<Record<number, string>> = {
  0x01: 'read-write error recovery',
  0x02: 'disconnect-reconnect',
  0x03: 'format device (obsolete)',
  0x04: 'rigid disk geometry (obsolete)',
  0x05: 'flexible disk (obsolete)',
  0x07: 'verify error recovery',
  0x08: 'caching',
  0x09: 'peripheral device (obsolete)',
  0x0a: 'control',
  0x0c: 'notch and partition (obsolete)',
  0x10: 'XOR control (obsolete)',
  0x18: 'protocol specific logical unit',
  0x19: 'protocol specific port',
  0x1a: 'power condition',
  0x1c: 'informational exceptions control',
  0x3f: 'all pages',
};

/** The PC field of MODE SENSE (SPC-5). */
export const pageControlNames: Readonly<Record<number, string>> = {
  0: 'current values',
  1: 'changeable values',
  2: 'default values',
  3: 'saved values',
};
