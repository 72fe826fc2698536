import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = (name: string) => join(__dirname, '..', '..', 'test-images', name);

/** The build scripts' answers to bad input, which must come before anything is fetched or built. */
describe('the QEMU build scripts, given bad input', () => {
  let cache: string;
  const run = (name: string, ...args: string[]) =>
    spawnSync('bash', [script(name), ...args], { encoding: 'utf8', env: { ...process.env, HBADIFF_QEMU_STABLE_CACHE: cache } });

  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'hbadiff-stable-'));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it.each([['7.3.0'], ['8'], ['7.2.x']])('qemu-stable.sh %s: one line, exit 2', (level) => {
    const result = run('qemu-stable.sh', level);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^qemu-stable: usage: qemu-stable\.sh \[--asan\] 7\.2\.N/)]);
    expect(result.stdout).toBe('');
  });

  it('qemu-stable.sh with an option it does not have: one line naming it, exit 2', () => {
    const result = run('qemu-stable.sh', '--asna', '7.2.0');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^qemu-stable: --asna: no such option; usage: qemu-stable\.sh \[--asan\] 7\.2\.N/)]);
    expect(result.stdout).toBe('');
  });

  it('qemu-build.sh with an option it does not have: one line naming it, exit 2', () => {
    const result = run('qemu-build.sh', cache, '--ubsan');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('qemu-build: --ubsan: no such option; usage: qemu-build.sh SRC_DIR [--asan]');
  });

  it('qemu-build.sh given a directory that is not a QEMU checkout: one line naming it, exit 2', () => {
    const result = run('qemu-build.sh', cache, '--asan');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`qemu-build: ${cache}: not a QEMU source tree (no configure or VERSION)`);
    expect(result.stdout).toBe('');
  });

  it('bisect-stable.sh names a case file that does not exist: one line, exit 2', () => {
    const result = run('bisect-stable.sh', join(cache, 'missing.json'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`bisect-stable: ${join(cache, 'missing.json')}: no such case file`);
  });

  it('bisect-stable.sh with a level that is not 7.2.N: one line, exit 2', () => {
    const result = run('bisect-stable.sh', '--from', '7.2', __filename);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('bisect-stable: --from 7.2: expected 7.2.N');
  });
});
