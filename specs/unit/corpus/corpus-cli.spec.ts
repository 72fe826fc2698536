import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hbadiff = join(__dirname, '..', '..', '..', 'harness', 'cli', 'hbadiff.sh');

const corpusCommand = (...args: string[]) => {
  const result = spawnSync(hbadiff, ['corpus', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
};

/** `hbadiff corpus export` and `import` on files a user got wrong: the good ones done, each bad one in a line, exit 2. */
describe('hbadiff corpus export and import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-corpus-cli-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ format: 'hbadiff-case/1', steps: [{ cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 }] }));
    writeFileSync(join(dir, 'bad.hbdc'), 'HBDC\x01');
    writeFileSync(join(dir, 'bad.sh'), '#!/bin/sh\necho hello\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a corpus file, and not read');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the good files of a directory and reports each bad one in one line, exiting 2', () => {
    const out = join(dir, 'binary');
    const result = corpusCommand('export', dir, '--format', 'binary', '--out', out);
    expect(result).toEqual({
      status: 2,
      stdout: `1 case(s) written to ${out} as binary`,
      stderr: [
        `hbadiff: ${join(dir, 'bad.hbdc')}: truncated: needed 2 bytes at offset 4, only 1 left`,
        `hbadiff: ${join(dir, 'bad.sh')}:2: not a line hbadiff writes: "echo hello"`,
      ].join('\n'),
    });
    expect(readdirSync(out)).toEqual(['good.hbdc']);
  });

  it('imports what it exported as the same case file, in every format', () => {
    for (const format of ['binary', 'sg_raw', 'case']) {
      const out = join(dir, `export-${format}`);
      expect(corpusCommand('export', join(dir, 'good.json'), '--format', format, '--out', out).status).toBe(0);
      const back = join(dir, `import-${format}`);
      expect(corpusCommand('import', out, '--out', back)).toEqual({ status: 0, stdout: `1 case(s) written to ${back} as case`, stderr: '' });
      expect(readdirSync(back)).toEqual(['good.json']);
    }
    const canonical = spawnSync('cat', [join(dir, 'export-case', 'good.json')], { encoding: 'utf8' }).stdout;
    for (const format of ['binary', 'sg_raw']) {
      expect(spawnSync('cat', [join(dir, `import-${format}`, 'good.json')], { encoding: 'utf8' }).stdout).toBe(canonical);
    }
  });

  it.each([
    [['import', '/nonexistent/corpus', '--out', join(tmpdir(), 'hbadiff-unused-out')], /^hbadiff: \/nonexistent\/corpus: cannot read: ENOENT: no such file or directory$/],
    [['export', '/dev/null', '--format', 'pdf', '--out', join(tmpdir(), 'hbadiff-unused-out')], /argument 'pdf' is invalid/],
    [['import', '/etc/hostname', '--out', join(tmpdir(), 'hbadiff-unused-out')], /^hbadiff: \/etc\/hostname: not a corpus file: its name ends in none of \.json, \.hbdc, \.sh$/],
  ])('%j exits 2 with one line', (args, message) => {
    const result = corpusCommand(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with one line when --out cannot be a directory', () => {
    const result = corpusCommand('import', join(dir, 'good.json'), '--out', '/etc/hostname');
    expect([result.status, result.stderr]).toEqual([2, 'hbadiff: --out /etc/hostname: cannot create the directory: EEXIST: file already exists']);
  });
});
