/**
 * libqtest's calls as the protocol lines libqtest sends for them (QEMU's tests/qtest/libqtest.c): a C test's
 * `qtest_outl(s, 0xcf8, 0x80001818)` is the line `outl 0xcf8 0x80001818` on the wire.
 */

/** A call's arguments (the QTestState first), read as the literals the translation asks for. */
export interface CallArguments {
  /** Argument `index` as an integer, printed in hexadecimal as libqtest prints addresses and values. */
  hex(index: number): string;
  /** Argument `index` as an integer, printed in decimal (clock steps, IRQ numbers). */
  decimal(index: number): string;
  /** Argument `index` as a string literal's text (an IRQ's QOM path). */
  text(index: number): string;
  /** The first `size` bytes of string literal `dataIndex`, `size` being argument `sizeIndex`. */
  bytes(dataIndex: number, sizeIndex: number): Buffer;
}

export interface CallTranslation {
  /** How many arguments the call takes, the QTestState included. */
  readonly arity: number;
  readonly line: (call: CallArguments) => string;
}

const store = (command: string): CallTranslation => ({ arity: 3, line: (call) => `${command} ${call.hex(1)} ${call.hex(2)}` });
const load = (command: string): CallTranslation => ({ arity: 2, line: (call) => `${command} ${call.hex(1)}` });
const intercept = (command: string): CallTranslation => ({ arity: 2, line: (call) => `${command} ${call.text(1)}` });

export const qtestCallLines: Readonly<Record<string, CallTranslation>> = {
  qtest_outb: store('outb'),
  qtest_outw: store('outw'),
  qtest_outl: store('outl'),
  qtest_inb: load('inb'),
  qtest_inw: load('inw'),
  qtest_inl: load('inl'),
  qtest_writeb: store('writeb'),
  qtest_writew: store('writew'),
  qtest_writel: store('writel'),
  qtest_writeq: store('writeq'),
  qtest_readb: load('readb'),
  qtest_readw: load('readw'),
  qtest_readl: load('readl'),
  qtest_readq: load('readq'),
  qtest_memread: { arity: 4, line: (call) => `read ${call.hex(1)} ${call.hex(3)}` },
  qtest_bufread: { arity: 4, line: (call) => `b64read ${call.hex(1)} ${call.hex(3)}` },
  qtest_memwrite: { arity: 4, line: (call) => `write ${call.hex(1)} ${call.hex(3)} 0x${call.bytes(2, 3).toString('hex')}` },
  qtest_bufwrite: { arity: 4, line: (call) => `b64write ${call.hex(1)} ${call.hex(3)} ${call.bytes(2, 3).toString('base64')}` },
  qtest_memset: { arity: 4, line: (call) => `memset ${call.hex(1)} ${call.hex(3)} ${call.hex(2)}` },
  qtest_clock_step: { arity: 2, line: (call) => `clock_step ${call.decimal(1)}` },
  qtest_clock_step_next: { arity: 1, line: () => 'clock_step' },
  qtest_clock_set: { arity: 2, line: (call) => `clock_set ${call.decimal(1)}` },
  qtest_irq_intercept_in: intercept('irq_intercept_in'),
  qtest_irq_intercept_out: intercept('irq_intercept_out'),
  qtest_set_irq_in: { arity: 5, line: (call) => `set_irq_in ${call.text(1)} ${call.text(2)} ${call.decimal(3)} ${call.decimal(4)}` },
};
