import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHeredocReproducers } from '../../harness/qtest/read-heredoc';
import { readReproducers } from '../../harness/qtest/read-reproducers';
import { replayReproducer } from '../../harness/qtest/replay-reproducer';
import { stableQemu } from '../fixtures/stable-qemu';

const root = join(__dirname, '..', '..');
const hbadiff = join(root, 'harness', 'cli', 'hbadiff.sh');
const megasasTests = join(root, 'specs', 'fixtures', 'qtest', 'fuzz-megasas-test.c');

/** QEMU's reproducer for gitlab issue 1563 (CVE-2023-0330): lsi53c810's DMA into its own MMIO recurses until the stack overflows. */
const lsiDmaReentrancy = `cat << EOF | qemu-system-x86_64 -M q35 -m 512M -nodefaults -blockdev driver=null-co,node-name=null0 \\
  -device lsi53c810 -device scsi-cd,drive=null0 -display none -machine accel=qtest -qtest stdio
outl 0xcf8 0x80000804
outw 0xcfc 0x7
outl 0xcf8 0x80000814
outl 0xcfc 0xff100000
outl 0xcf8 0x80000818
outl 0xcfc 0xff000000
writel 0xff000000 0xc0000024
writel 0xff000114 0x00000080
writel 0xff00012c 0xff000000
writel 0xff000004 0xff000114
writel 0xff000008 0xff100014
writel 0xff10002f 0x000000ff
EOF
`;

/** qtest.c's memset allocates its length with g_malloc, which aborts QEMU (SIGTRAP) when the allocation fails. */
const memsetAbort = `qemu-system-x86_64 -M q35 -m 32M -display none -qtest stdio << EOF
outb 0x80 0x1
memset 0x0 0xffffffffffffff 0x0
EOF
`;

const timeoutMs = 10_000;
let qemu7222: string;
let qemu720: string;
let dir: string;

/** Debian's own QEMU has no qtest accelerator: upstream 7.2.22 and 7.2.0, built from Debian's source package. */
beforeAll(() => {
  qemu7222 = stableQemu('7.2.22');
  qemu720 = stableQemu('7.2.0');
  dir = mkdtempSync(join(tmpdir(), 'hbadiff-reproducer-replay-'));
}, 1_800_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replaying reproducers over qtest', () => {
  it("finds 7.2.22 clean on QEMU's fuzz-megasas-test.c (both bugs fixed long before)", async () => {
    for (const reproducer of readReproducers(megasasTests)) {
      expect(await replayReproducer(reproducer, { qemu: qemu7222, timeoutMs })).toEqual({ kind: 'clean', lines: reproducer.lines.length, refused: 0 });
    }
  });

  it('reports the stack overflow of lsi53c810 DMA reentrancy on 7.2.0 as a crash at its last line, and 7.2.22 (fixed) clean', async () => {
    const [reproducer] = readHeredocReproducers(lsiDmaReentrancy, 'lsi-dma-reentrancy.sh');
    expect(await replayReproducer(reproducer, { qemu: qemu720, timeoutMs })).toEqual({ kind: 'crash', atLine: 12, exit: 'was killed by signal 11' });
    expect(await replayReproducer(reproducer, { qemu: qemu7222, timeoutMs })).toEqual({ kind: 'clean', lines: 12, refused: 0 });
  });

  it("reports QEMU aborting on 7.2.22 as a crash, with GLib's last words as the evidence", async () => {
    const [reproducer] = readHeredocReproducers(memsetAbort, 'memset.sh');
    expect(await replayReproducer(reproducer, { qemu: qemu7222, timeoutMs })).toEqual({
      kind: 'crash',
      atLine: 2,
      exit: 'was killed by signal 5',
      evidence: expect.stringMatching(/GLib: .*failed to allocate 72057594037927935 bytes$/),
    });
  });
});

describe('hbadiff reproducer import and replay', () => {
  const reproducerCommand = (...args: string[]) => {
    const result = spawnSync(hbadiff, ['reproducer', ...args], { encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout.trim().split('\n'), stderr: result.stderr.trim() };
  };

  it('writes a .qtest file per test function, and replays them: all clean, exit 0', () => {
    const out = join(dir, 'megasas');
    expect(reproducerCommand('import', megasasTests, '--out', out)).toEqual({ status: 0, stdout: [`2 reproducer(s) written to ${out}`], stderr: '' });
    const written = readdirSync(out).sort();
    expect(written).toEqual(['test_gitlab_issue521_megasas_sgl_ovf.qtest', 'test_lp1878263_megasas_zero_iov_cnt.qtest']);
    const replay = reproducerCommand('replay', ...written.map((name) => join(out, name)), '--qemu', qemu7222);
    expect(replay.stdout).toEqual([
      'test_gitlab_issue521_megasas_sgl_ovf: clean (14 line(s) answered, QEMU still answering)',
      'test_lp1878263_megasas_zero_iov_cnt: clean (9 line(s) answered, QEMU still answering)',
      `2 clean, 0 crashed or hung, on ${qemu7222}`,
    ]);
    expect(replay.status).toBe(0);
  });

  it('exits 1 when one crashed, after replaying the others', () => {
    writeFileSync(join(dir, 'memset.sh'), memsetAbort);
    const replay = reproducerCommand('replay', join(dir, 'memset.sh'), megasasTests, '--qemu', qemu7222);
    expect(replay.stdout[0]).toMatch(/^memset: crash at line 2: QEMU was killed by signal 5: .*failed to allocate/);
    expect(replay.stdout.at(-1)).toBe(`2 clean, 1 crashed or hung, on ${qemu7222}`);
    expect(replay.status).toBe(1);
  });
});
