import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stableQemu } from '../fixtures/stable-qemu';

const root = join(__dirname, '..', '..');
const hbadiff = join(root, 'harness', 'cli', 'hbadiff.sh');

interface BaselineFile {
  readonly entries: readonly { readonly signature: string; readonly text: string; readonly case: string }[];
}

/** The same cases one layer down: `--transport qtest` and `baseline frame-level` against upstream 7.2.22 under qtest. */
describe('frame level from the command line (upstream QEMU 7.2.22 under qtest)', () => {
  let qemu: string;
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(hbadiff, args, { encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
  };
  const caseFile = (name: string, document: object): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(document));
    return file;
  };

  beforeAll(() => {
    qemu = stableQemu('7.2.22');
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-frame-cli-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a baseline crash without a guest: scsi-block asserts on a READ(6) whose buffer is not whole blocks', () => {
    const result = run('replay', '--transport', 'qtest', '--qemu', qemu, join(root, 'baselines', '7.2.22', '9d998f417291.json'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('cause 9d998f417291 crash:scsi-disk.c scsi_block_do_sgio: iov->size % s->qdev.blocksize == 0');
  });

  it('replays a case the paths agree on, and the comparison and the model judge it as a guest run', () => {
    const file = caseFile('inquiry.json', {
      format: 'hbadiff-case/1',
      steps: [
        { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 },
        { cdb: '28 00 00 00 00 10 00 00 01 00', dir: 'from-device', length: 512 },
      ],
    });
    const result = run('replay', '--transport', 'qtest', '--qemu', qemu, '--json', file);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { verdict: string; divergences: { paths: string[]; field: string }[] };
    // scsi-hd and tgtd's LUN name themselves differently in INQUIRY: the only divergences are those, in data.
    expect(report.divergences.length).toBeGreaterThan(0);
    expect(report.divergences.every((divergence) => divergence.field === 'data' && divergence.paths.some((path) => path.endsWith('scsi-block')))).toBe(true);
    expect(new Set(report.divergences.flatMap((divergence) => divergence.paths))).toEqual(
      new Set(['megasas:scsi-hd', 'megasas:scsi-block', 'virtio-scsi:scsi-hd', 'virtio-scsi:scsi-block']),
    );
  });

  it("without --qemu, takes the upstream build of PATH's version where PATH's QEMU has no qtest accelerator, and says so", () => {
    const file = caseFile('tur-default.json', { format: 'hbadiff-case/1', steps: [{ cdb: '00 00 00 00 00 00', dir: 'none' }] });
    const result = run('replay', '--transport', 'qtest', file);
    expect(result.stderr).toBe(`hbadiff: /usr/bin/qemu-system-x86_64 has no qtest accelerator; using upstream QEMU 7.2.22 built by test-images/qemu-stable.sh: ${qemu}`);
    expect(result.stdout).toMatch(/tur-default\.json: (agree|diverge)/);
  });

  it('exports a case as a standalone qtest reproducer (disks of zeroes) that replays as QEMU developers run it', () => {
    const file = caseFile('to-export.json', {
      format: 'hbadiff-case/1',
      steps: [
        { cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 },
        { cdb: '2a 00 00 00 00 20 00 00 01 00', dir: 'to-device', length: 512, data: 'a5*512' },
      ],
    });
    const out = join(dir, 'exported');
    const exported = run('reproducer', 'export', '--qemu', qemu, '--out', out, file);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain(`${file}: leaves out megasas:scsi-block, virtio-scsi:scsi-block`);
    expect(exported.stdout).toMatch(/to-export\.qtest: \d+ lines; the case ran to its end; the reproducer: clean/);
    const heredoc = readFileSync(join(out, 'to-export.qtest'), 'utf8');
    expect(heredoc).toMatch(/^cat << EOF \| \$\{QEMU:-qemu-system-x86_64\} .*-device driver=megasas,id=hba0 .*driver=null-co,read-zeroes=on,size=8388608.* -qtest stdio$/m);
    // The WRITE (10)'s data-out went to guest memory as the frame driver wrote it: it is in the transcript.
    const written = [...heredoc.matchAll(/^b64write 0x[0-9a-f]+ 0x[0-9a-f]+ (\S+)$/gm)].map((match) => Buffer.from(match[1], 'base64'));
    expect(written.some((bytes) => bytes.includes(Buffer.alloc(512, 0xa5)))).toBe(true);
    const replayed = run('reproducer', 'replay', '--qemu', qemu, join(out, 'to-export.qtest'));
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toMatch(/^to-export: clean/m);
  });

  it('refuses in one line an HBA no frame driver speaks, and a QEMU without the qtest accelerator', () => {
    const lsi = caseFile('lsi.json', { format: 'hbadiff-case/1', paths: ['lsi53c895a:scsi-hd', 'virtio-scsi:scsi-hd'], steps: [{ cdb: '00 00 00 00 00 00', dir: 'none' }] });
    const unsupported = run('replay', '--transport', 'qtest', '--qemu', qemu, lsi);
    expect(unsupported.status).toBe(125);
    expect(unsupported.stdout).toMatch(/^.*lsi\.json: error \(lsi53c895a has no frame-level driver yet \(--transport qtest speaks megasas, megasas-gen2, virtio-scsi\)\)$/m);
    const tur = caseFile('tur.json', { format: 'hbadiff-case/1', steps: [{ cdb: '00 00 00 00 00 00', dir: 'none' }] });
    const debian = run('replay', '--transport', 'qtest', '--qemu', '/usr/bin/qemu-system-x86_64', tur);
    expect(debian.status).toBe(125);
    expect(debian.stderr).toBe("hbadiff: /usr/bin/qemu-system-x86_64 has no qtest accelerator (Debian's packages remove it): use a QEMU built from source, e.g. `npm run qemu-stable -- 7.2.22`");
  });

  it('reports the scsi-generic overflow on a short Block Limits page as a heap overflow on an ASan build of 7.2.0, and nothing on 7.2.22', () => {
    const fixture = join(root, 'specs', 'fixtures', 'cases', 'scsi-generic-inquiry-block-limits-short.json');
    const asan = run('replay', '--transport', 'qtest', '--qemu', stableQemu('7.2.0', 'asan'), fixture);
    expect(asan.status).toBe(1);
    expect(asan.stdout).toMatch(/^ {2}cause [0-9a-f]{12} crash:AddressSanitizer: heap-buffer-overflow in .*scsi_handle_inquiry_reply/m);
    const fixed = run('replay', '--transport', 'qtest', '--qemu', qemu, fixture);
    expect([fixed.status, fixed.stdout.trim()]).toEqual([0, `${fixture}: agree`]);
  });

  it("sorts the baseline's causes into QEMU's (reproduce without a guest) and the guest's (vanish)", () => {
    const result = run('baseline', 'frame-level', '--qemu', qemu);
    expect(result.status).toBe(0);
    const baseline = JSON.parse(readFileSync(join(root, 'baselines', '7.2.22.json'), 'utf8')) as BaselineFile;
    const verdictOf = new Map([...result.stdout.matchAll(/^ {2}(reproduces|vanishes|no frame driver) +([0-9a-f]{12}) /gm)].map((match) => [match[2], match[1]]));
    expect(verdictOf.size).toBe(baseline.entries.length);
    for (const entry of baseline.entries) {
      if (verdictOf.get(entry.signature) === 'no frame driver') continue;
      // No guest kernel below the frames: a difference in its messages cannot be QEMU's.
      if (/^[^:]+:log:/.test(entry.text)) expect([entry.signature, verdictOf.get(entry.signature)]).toEqual([entry.signature, 'vanishes']);
      // An error branch megasas.c takes, or QEMU's own assertion, is QEMU's whatever framed the command.
      if (/via megasas_|^crash:scsi-disk\.c/.test(entry.text)) expect([entry.signature, verdictOf.get(entry.signature)]).toEqual([entry.signature, 'reproduces']);
    }
    const summary = /(\d+) cause\(s\) reproduce, (\d+) vanish, (\d+) name an HBA with no frame driver/.exec(result.stdout);
    expect(summary).not.toBeNull();
    const [reproduce, vanish, noDriver] = (summary as RegExpExecArray).slice(1).map(Number);
    expect(reproduce + vanish + noDriver).toBe(baseline.entries.length);
    expect(reproduce).toBeGreaterThan(vanish);
  }, 180_000);
});
