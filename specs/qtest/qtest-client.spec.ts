import { randomBytes } from 'node:crypto';
import { UserError } from '../../harness/errors/user-error';
import { QemuExited } from '../../harness/qemu/machine-exit';
import { QtestClient } from '../../harness/qtest/qtest-client';
import { stableQemu } from '../fixtures/stable-qemu';

/** Guest RAM above the first MiB of a 64 MiB q35. */
const scratch = 0x20_0000;

const launch = (recordTranscript = false): Promise<QtestClient> =>
  QtestClient.launch({ qemu: stableQemu('7.2.22'), args: ['-machine', 'q35', '-m', '64'], recordTranscript });

describe('QtestClient against QEMU 7.2.22 under -accel qtest', () => {
  let qtest: QtestClient;
  beforeAll(async () => {
    qtest = await launch(true);
  });
  afterAll(async () => {
    await qtest?.close();
  });

  it('reads back what memwrite wrote, every byte value, and memset and the sized accesses agree little-endian', async () => {
    const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), randomBytes(4097)]);
    await qtest.memwrite(scratch, data);
    expect(await qtest.memread(scratch, data.length)).toEqual(data);
    await qtest.memset(scratch, 16, 0xa5);
    await qtest.writeq(scratch + 8, 0x1122_3344_5566_7788n);
    expect(await qtest.memread(scratch, 16)).toEqual(Buffer.from('a5a5a5a5a5a5a5a58877665544332211', 'hex'));
    expect(await qtest.readl(scratch + 8)).toBe(0x5566_7788);
    expect(await qtest.readq(scratch + 8)).toBe(0x1122_3344_5566_7788n);
    expect(await qtest.memread(scratch, 0)).toEqual(Buffer.alloc(0));
  });

  it('matches pipelined replies to their requests in order, and keeps the transcript of every line sent', async () => {
    const count = 2000;
    const sentBefore = qtest.transcript?.length ?? 0;
    const writes = Array.from({ length: count }, (_, index) => qtest.writel(scratch + 4 * index, (index * 0x9e37_79b9) >>> 0));
    const reads = Array.from({ length: count }, (_, index) => qtest.readl(scratch + 4 * index));
    await Promise.all(writes);
    expect(await Promise.all(reads)).toEqual(Array.from({ length: count }, (_, index) => (index * 0x9e37_79b9) >>> 0));
    const sent = qtest.transcript?.slice(sentBefore) ?? [];
    expect(sent).toHaveLength(2 * count);
    expect(sent[0]).toBe(`writel 0x${scratch.toString(16)} 0x0`);
    expect(sent[count]).toBe(`readl 0x${scratch.toString(16)}`);
  });

  it('records IRQ lines QEMU sends between replies without taking them as replies', async () => {
    await qtest.irqInterceptIn('ioapic');
    // The RTC's periodic interrupt (IRQ 8) at 1024 Hz: register A rate 6, register B PIE; the PIT ticks IRQ 0 meanwhile.
    for (const [register, value] of [[0x0a, 0x26], [0x0b, 0x42]]) {
      await qtest.outb(0x70, register);
      await qtest.outb(0x71, value);
    }
    expect(await qtest.irqState(8)).toBe(false);
    const clockBefore = await qtest.clockStep(0);
    expect(await qtest.clockStep(10_000_000)).toBe(clockBefore + 10_000_000);
    let raised = false;
    for (let poll = 0; poll < 100 && !raised; poll++) {
      await qtest.clockStep(1000);
      raised = await qtest.irqState(8);
    }
    expect(raised).toBe(true);
    expect(await qtest.readl(scratch)).toBe(0);
  });

  it('refuses a FAIL reply with the line and the reply', async () => {
    await expect(qtest.command('irq_intercept_in /machine/no-such-device')).rejects.toThrow('QEMU answered `irq_intercept_in /machine/no-such-device` with `FAIL Unknown device`');
  });
});

describe('QtestClient when QEMU goes', () => {
  it("rejects every pending request with an error naming the exit and QEMU's last words", async () => {
    const qtest = await launch();
    // qtest.c asserts a read's length is not 0: QEMU aborts while the requests after it wait.
    const pending = [qtest.command('read 0x0 0'), qtest.readl(scratch), qtest.inb(0x71)];
    await Promise.all(pending.map((request) => expect(request).rejects.toBeInstanceOf(QemuExited)));
    await expect(pending[0]).rejects.toThrow(/QEMU was killed by signal 6 while `read 0x0 0` awaited its qtest reply[^]*assertion failed: \(len\)/);
    expect(await qtest.exited).toEqual({ exitCode: 134, signal: 6 });
    await expect(qtest.readb(0)).rejects.toBeInstanceOf(QemuExited);
  });

  it('close() stops QEMU, and a request after it is refused', async () => {
    const qtest = await launch();
    await qtest.close();
    expect(qtest.exit).toBeDefined();
    await expect(qtest.readb(0)).rejects.toThrow('qtest: the client was closed');
  });

  it('names a QEMU path that is not an executable in one line', async () => {
    await expect(QtestClient.launch({ qemu: '/nonexistent/qemu-system-x86_64', args: [] })).rejects.toThrow(
      new UserError('/nonexistent/qemu-system-x86_64: not an executable file, so no QEMU to run under qtest'),
    );
  });
});
