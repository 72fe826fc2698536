// Every command this layer knows: its encoder (a typed field object in, a CDB out), its layout, and the
// table of them all. decode-cdb.ts names any CDB; expected-transfer.ts says what it should move.
export * from './commands/opcode';
export * from './commands/command-table';
export * from './commands/test-unit-ready';
export * from './commands/request-sense';
export * from './commands/inquiry';
export * from './commands/mode-sense';
export * from './commands/mode-select';
export * from './commands/read';
export * from './commands/write';
export * from './commands/verify';
export * from './commands/write-and-verify';
export * from './commands/write-same';
export * from './commands/unmap';
export * from './commands/synchronize-cache';
export * from './commands/read-capacity';
export * from './commands/get-lba-status';
export * from './commands/report-luns';
export * from './commands/report-supported-operation-codes';
export * from './commands/start-stop-unit';
export * from './commands/prevent-allow-medium-removal';
export * from './commands/reserve-release';
export * from './commands/persistent-reserve';
export * from './commands/compare-and-write';
export * from './commands/diagnostics';
export * from './commands/ata-pass-through';
