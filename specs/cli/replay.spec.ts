import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

/** `hbadiff replay` as `git bisect run` uses it: its exit status is the verdict. */
describe('hbadiff replay', () => {
  let dir: string;
  const caseFile = (name: string, document: object): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(document));
    return file;
  };
  const replay = (...args: string[]) => {
    const result = spawnSync(hbadiff, ['replay', ...args], { encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-replay-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and names the divergence when the paths answer differently', () => {
    const file = caseFile('tur.json', {
      format: 'hbadiff-case/1',
      paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'],
      steps: [
        { cdb: '00 00 00 00 00 00', dir: 'none' },
        { cdb: '00 00 00 00 00 00', dir: 'none' },
      ],
    });
    const result = replay('--json', file);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { verdict: string; divergences: { step: number; field: string; paths: string[] }[] };
    expect(report.verdict).toBe('diverge');
    expect(report.divergences).toContainEqual(
      expect.objectContaining({ step: 1, field: 'status', paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'], values: ['CHECK CONDITION', 'GOOD'] }),
    );
  }, 120_000);

  it('exits 0 when every path agrees', () => {
    const file = caseFile('inquiry.json', {
      format: 'hbadiff-case/1',
      paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'],
      steps: [{ cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 }],
    });
    const result = replay(file);
    expect([result.status, result.stdout.trim()]).toEqual([0, `${file}: agree`]);
  }, 120_000);

  it('exits 125 when it cannot test, and 2 on a malformed case, in one line', () => {
    const good = caseFile('good.json', { format: 'hbadiff-case/1', steps: [{ cdb: '00 00 00 00 00 00', dir: 'none' }] });
    const missingQemu = replay('--qemu', '/nonexistent/qemu', good);
    expect([missingQemu.status, missingQemu.stdout.trim()]).toEqual([125, `${good}: error (--qemu: /nonexistent/qemu is not an executable file)`]);
    const bad = caseFile('bad.json', { format: 'hbadiff-case/1', steps: [{ cdb: '12 0' }] });
    const malformed = replay(bad);
    expect([malformed.status, malformed.stderr]).toEqual([2, `hbadiff: ${bad}: steps[0].dir: required but missing`]);
  }, 60_000);
});
