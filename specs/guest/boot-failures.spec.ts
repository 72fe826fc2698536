import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGuestImage } from '../../harness/guest/image';
import { locateQemu, probeQemu, QemuBinary } from '../../harness/qemu/binary';
import { MachineSpec } from '../../harness/qemu/cmdline';
import { QemuMachine } from '../../harness/qemu/machine';
import { BootTimeout, QemuExited } from '../../harness/qemu/machine-exit';
import { GuestSession } from '../../harness/session/guest-session';
import { guestMachineSpec } from '../../harness/session/guest-machine-spec';

/** Boots that go wrong must say how: QEMU's exit status or signal and its last words, or how far the boot got. */
describe('a boot that fails', () => {
  let qemu: QemuBinary;
  let workDir: string;

  beforeAll(async () => {
    qemu = await probeQemu(locateQemu(undefined));
    workDir = mkdtempSync(join(tmpdir(), 'hbadiff-spec-'));
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  const diskless = (extraKernelArgs: string[] = []): MachineSpec =>
    guestMachineSpec({ qemu, image: findGuestImage(), accelerator: 'tcg', workDir: mkdtempSync(join(workDir, 'boot-')), extraKernelArgs });

  it('reports QEMU refusing its command line with the exit status and what QEMU said', async () => {
    const failure = await GuestSession.start({ extraQemuArgs: ['-device', 'no-such-hba'], accelerator: 'tcg' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QemuExited);
    const exited = failure as QemuExited;
    expect(exited.exit).toEqual({ exitCode: 1, signal: undefined });
    expect(exited.message).toMatch(/exited with status 1 before the guest agent said hello/);
    expect(exited.message).toMatch(/no-such-hba/);
  }, 60_000);

  it('reports QEMU dying by a signal during boot with that signal', async () => {
    const machine = QemuMachine.launch(diskless(), 10_000);
    setTimeout(() => machine.kill('SIGABRT'), 1_000);
    const failure = await machine.waitReady(60_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QemuExited);
    expect((failure as QemuExited).exit.signal).toBe(6);
    expect((failure as QemuExited).message).toMatch(/killed by signal 6 before the guest agent said hello/);
  }, 60_000);

  it('times out a guest whose agent never says hello, with the console lines that show how far it got', async () => {
    // hbadiff.shell makes the init start a shell instead of the agent: the kernel boots, no hello comes.
    const machine = QemuMachine.launch(diskless(['hbadiff.shell']), 10_000);
    const failure = await machine.waitReady(20_000).catch((error: unknown) => error);
    await machine.shutdown();
    expect(failure).toBeInstanceOf(BootTimeout);
    const timeout = failure as BootTimeout;
    expect(timeout.lastOutput.length).toBeGreaterThan(10);
    expect(timeout.lastOutput.length).toBeLessThanOrEqual(50);
    expect(timeout.message).toMatch(/did not say hello within 20 s/);
    expect(timeout.lastOutput.join('\n')).toMatch(/megaraid|virtio|SCSI|Run \/init|hbadiff/i);
  }, 90_000);
});
