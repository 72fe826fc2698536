import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorpusStats } from '../../harness/corpus/corpus-stats';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

const corpusCommand = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const result = spawnSync(hbadiff, ['corpus', ...args], { encoding: 'utf8', timeout: 200_000, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const paths = ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'];
const inquiry = (allocation: number) => ({
  format: 'hbadiff-case/1',
  paths,
  steps: [{ cdb: `12 00 00 00 ${allocation.toString(16).padStart(2, '0')} 00`, dir: 'from-device', length: allocation }],
});

/**
 * Behaviours measured on a real guest: two INQUIRYs for standard data that differ only in how much they ask
 * for behave alike (GOOD, no sense, the whole buffer moved, on both paths), and INQUIRY for the supported
 * VPD pages, a command of its own, like neither; the second look comes from the cache.
 */
describe('hbadiff corpus stats and minimize on a real guest', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbadiff-corpus-'));
    writeFileSync(join(dir, 'a-inquiry-36.json'), JSON.stringify(inquiry(36)));
    writeFileSync(join(dir, 'b-inquiry-24.json'), JSON.stringify(inquiry(24)));
    writeFileSync(join(dir, 'c-vpd-pages.json'), JSON.stringify({ format: 'hbadiff-case/1', paths, steps: [{ cdb: '12 01 00 00 40 00', dir: 'from-device', length: 64 }] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the behaviours, keeps one of two alike cases and the odd one, and answers again without a boot', () => {
    const first = corpusCommand(['stats', '--json', dir]);
    expect(first.status).toBe(0);
    const stats = JSON.parse(first.stdout) as CorpusStats;
    const values = (name: string) => stats.dimensions.find((dimension) => dimension.name === name)?.values.map(({ value }) => value).sort();
    expect(stats.cases).toBe(3);
    expect(values('command')).toEqual(['12/00', '12/standard']);
    expect(values('path')).toEqual(paths);
    expect(values('status')).toEqual(['GOOD']);

    const out = join(dir, 'minimized');
    const minimized = corpusCommand(['minimize', dir, '--out', out]);
    expect([minimized.status, minimized.stdout.trim()]).toEqual([0, `kept 2 of 3 case(s) in ${out}, with all ${stats.behaviours} distinct behaviour(s)`]);
    expect(readdirSync(out).sort()).toEqual(['a-inquiry-36.json', 'behaviours.jsonl', 'c-vpd-pages.json']);

    // An accelerator no guest boots with: the answers can only come from the cache.
    const again = corpusCommand(['stats', '--json', out], { HBADIFF_ACCEL: 'xen' });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...stats, cases: 2 });
  }, 240_000);
});
