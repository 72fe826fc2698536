/** The SENSE KEY values (SPC-5, Table "Sense key descriptions"). */
export const SenseKey = {
  noSense: 0x0,
  recoveredError: 0x1,
  notReady: 0x2,
  mediumError: 0x3,
  hardwareError: 0x4,
  illegalRequest: 0x5,
  unitAttention: 0x6,
  dataProtect: 0x7,
  blankCheck: 0x8,
  vendorSpecific: 0x9,
  copyAborted: 0xa,
  abortedCommand: 0xb,
  volumeOverflow: 0xd,
  miscompare: 0xe,
  completed: 0xf,
} as const;

const senseKeyNames = [
  'NO SENSE',
  'RECOVERED ERROR',
  'NOT READY',
  'MEDIUM ERROR',
  'HARDWARE ERROR',
  'ILLEGAL REQUEST',
  'UNIT ATTENTION',
  'DATA PROTECT',
  'BLANK CHECK',
  'VENDOR SPECIFIC',
  'COPY ABORTED',
  'ABORTED COMMAND',
  'reserved (0Ch)',
  'VOLUME OVERFLOW',
  'MISCOMPARE',
  'COMPLETED',
];

export const senseKeyName = (key: number): string => senseKeyNames[key & 0x0f];
