import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCTestReproducers } from '../../../harness/qtest/read-c-test';
import { readHeredocReproducers } from '../../../harness/qtest/read-heredoc';
import { readReproducers } from '../../../harness/qtest/read-reproducers';
import { QtestReproducer } from '../../../harness/qtest/reproducer';
import { heredocOf } from '../../../harness/qtest/write-heredoc';

const megasasTests = join(__dirname, '../../fixtures/qtest/fuzz-megasas-test.c');

/** QEMU commit 5904c7f8's message reproduces gitlab issue 521 this way (the fixture's second test). */
const issue521Heredoc = `cat << EOF | ./qemu-system-x86_64 -display none -machine accel=qtest -m 32M -machine q35 \\
-nodefaults -device megasas -device scsi-cd,drive=null0 \\
-blockdev driver=null-co,read-zeroes=on,node-name=null0 -qtest stdio
outl 0xcf8 0x80000818
outl 0xcfc 0xc000
outl 0xcf8 0x80000804
outw 0xcfc 0x05
write 0x0 0x1 0x01
outb 0xc040 0x20
EOF
`;

const issue521Args = ['-display', 'none', '-m', '32M', '-machine', 'q35', '-nodefaults', '-device', 'megasas', '-device', 'scsi-cd,drive=null0', '-blockdev', 'driver=null-co,read-zeroes=on,node-name=null0'];
const issue521Lines = ['outl 0xcf8 0x80000818', 'outl 0xcfc 0xc000', 'outl 0xcf8 0x80000804', 'outw 0xcfc 0x05', 'write 0x0 0x1 0x01', 'outb 0xc040 0x20'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hbadiff-reproducer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const written = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const messageOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('a QEMU qtest C file (fuzz-megasas-test.c at v7.2.0)', () => {
  const reproducers = readReproducers(megasasTests);

  it('gives one reproducer per test function, named by it, with the comment above it as its note', () => {
    expect(reproducers.map((reproducer) => reproducer.name)).toEqual(['test_lp1878263_megasas_zero_iov_cnt', 'test_gitlab_issue521_megasas_sgl_ovf']);
    expect(reproducers[0].provenance).toBe(`${megasasTests}:19 test_lp1878263_megasas_zero_iov_cnt`);
    expect(reproducers[0].note).toBe('This used to trigger the assert in scsi_dma_complete\nhttps://bugs.launchpad.net/qemu/+bug/1878263');
  });

  it("takes qtest_init's string as sh splits it, with libqtest's -display none before it", () => {
    expect(reproducers[0].qemuArgs).toEqual([
      '-display', 'none', '-nographic', '-monitor', 'none', '-serial', 'none', '-M', 'q35', '-device', 'megasas',
      '-device', 'scsi-cd,drive=null0', '-blockdev', 'driver=null-co,read-zeroes=on,node-name=null0',
    ]);
    expect(reproducers[1].qemuArgs).toEqual(issue521Args);
  });

  it('turns each call into the protocol line libqtest sends for it', () => {
    expect(reproducers[0].lines).toEqual([
      'outl 0xcf8 0x80001818', 'outl 0xcfc 0xc101', 'outl 0xcf8 0x8000181c', 'outl 0xcf8 0x80001804', 'outw 0xcfc 0x7',
      'outl 0xcf8 0x8000186a', 'writeb 0x14 0xfe', 'writeb 0x0 0x2', 'outb 0xc1c0 0x17',
    ]);
    expect(reproducers[1].lines.slice(4, 7)).toEqual(['b64write 0x0 0x1 AQ==', 'b64write 0x7 0x1 AQ==', 'b64write 0x10 0x1 Ag==']);
    expect(reproducers[1].lines).toHaveLength(14);
  });

  it('reads qtest_initf, memwrite with the literal terminator, clock steps and skip guards', () => {
    const source = `
static void test_other(const void *data)
{
    QTestState *s;
    uint8_t buf[4];

    if (sizeof(void *) == 4) {
        g_test_skip("32-bit");
        return;
    }
    s = qtest_initf("-M %s -m %dM", "q35", 64);
    qtest_memwrite(s, 0x1000, "\\x12\\x34", 3);
    qtest_memset(s, 0x2000, 0xab, 0x10);
    uint32_t v = qtest_inl(s, 0xcfc);
    qtest_memread(s, 0x1000, buf, sizeof buf - 0);
    qtest_clock_step(s, 1000);
    qtest_quit(s);
}`;
    expect(messageOf(() => readCTestReproducers(source, 'other.c'))).toBe(
      'other.c:15: test_other: qtest_memread: argument 4 `sizeof buf - 0` is not an integer literal',
    );
    const [reproducer] = readCTestReproducers(source.replace('sizeof buf - 0', '4'), 'other.c');
    expect(reproducer.qemuArgs).toEqual(['-display', 'none', '-M', 'q35', '-m', '64M']);
    expect(reproducer.lines).toEqual(['write 0x1000 0x3 0x123400', 'memset 0x2000 0x10 0xab', 'inl 0xcfc', 'read 0x1000 0x4', 'clock_step 1000']);
  });

  it('refuses a statement it cannot read, naming the file, the line and the function', () => {
    const source = 'static void t(void)\n{\n    QTestState *s = qtest_init("-M q35");\n    g_assert_cmphex(qtest_inl(s, 0xcfc), ==, 0);\n}\n';
    expect(messageOf(() => readCTestReproducers(source, 'f.c'))).toMatch(/^f\.c:4: t: cannot read `g_assert_cmphex\(qtest_inl\(s, 0xcfc\), ==, 0\)`/);
    expect(messageOf(() => readCTestReproducers('int main(void) { return 0; }', 'g.c'))).toBe('g.c:1: no function starts QEMU with qtest_init');
  });
});

describe('a heredoc reproducer', () => {
  it("reads QEMU developers' `cat << EOF | qemu … -qtest stdio` form, continuations and all, leaving qtest's own arguments out", () => {
    const [reproducer] = readHeredocReproducers(issue521Heredoc, join(dir, 'issue521.sh'));
    expect(reproducer).toEqual({ name: 'issue521', qemuArgs: issue521Args, lines: issue521Lines, provenance: `${join(dir, 'issue521.sh')}:1` });
  });

  it('reads `qemu … -qtest stdio < FILE` with FILE beside it, and `qemu … << EOF` with a quoted delimiter', () => {
    written('lines.txt', `${issue521Lines.join('\n')}\n`);
    const redirected = readReproducers(written('redirect.sh', `qemu-system-x86_64 ${issue521Args.join(' ')} -qtest stdio < lines.txt\n`));
    expect(redirected[0].lines).toEqual(issue521Lines);
    const direct = readHeredocReproducers(`qemu-system-i386 -M q35 -qtest stdio << 'END'\noutb 0x80 0x1\nEND\n`, 'direct.sh');
    expect(direct[0]).toMatchObject({ qemuArgs: ['-M', 'q35'], lines: ['outb 0x80 0x1'] });
  });

  it('writes what it reads back, provenance and note included, and runs under sh as written (the accelerator added)', () => {
    const [imported] = readReproducers(megasasTests);
    const file = written(`${imported.name}.qtest`, heredocOf(imported));
    expect(readReproducers(file)).toEqual([imported]);
    expect(heredocOf(imported)).toContain(' -machine accel=qtest -qtest stdio\noutl 0xcf8 0x80001818\n');
  });

  it('refuses a line that is not a qtest request, a missing -qtest stdio and an unended heredoc, each at its line', () => {
    const typo = issue521Heredoc.replace('outw 0xcfc 0x05', 'outw 0xcfc');
    expect(messageOf(() => readHeredocReproducers(typo, 'typo.sh'))).toBe('typo.sh:7: outw takes 2 argument(s), not 1');
    const unknown = issue521Heredoc.replace('write 0x0', 'wirte 0x0');
    expect(messageOf(() => readHeredocReproducers(unknown, 'u.sh'))).toMatch(/^u\.sh:8: `wirte` is not a qtest command/);
    expect(messageOf(() => readHeredocReproducers(issue521Heredoc.replace(' -qtest stdio', ''), 'n.sh'))).toBe(
      'n.sh:1: `./qemu-system-x86_64` is not given `-qtest stdio`: the lines would not reach qtest',
    );
    expect(messageOf(() => readHeredocReproducers(issue521Heredoc.replace(/EOF\n$/, ''), 'e.sh'))).toBe('e.sh:1: the heredoc is never ended by a line `EOF`');
  });

  it('names the reproducers of a file with several after the file and their place', () => {
    const two = `# first\n${issue521Heredoc}\n# second\n${issue521Heredoc}`;
    const reproducers: QtestReproducer[] = readHeredocReproducers(two, join(dir, 'pair.sh'));
    expect(reproducers.map((reproducer) => [reproducer.name, reproducer.note])).toEqual([
      ['pair', 'first'],
      ['pair-2', 'second'],
    ]);
  });
});
