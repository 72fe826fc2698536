import { resolve } from 'node:path';
import { tgtdAsanOptions, tgtdBinary } from '../../harness/iscsi/tgtd-binary';

describe('which tgtd the harness runs', () => {
  it('is tgtd on PATH, with the environment untouched, when HBADIFF_TGTD is unset or empty', () => {
    for (const env of [{}, { HBADIFF_TGTD: '' }] as NodeJS.ProcessEnv[]) {
      const before = { ...env };
      expect(tgtdBinary(env)).toBe('tgtd');
      expect(env).toEqual(before);
    }
  });

  it('is HBADIFF_TGTD, made absolute, with ASan reporting to stderr unless ASAN_OPTIONS says otherwise', () => {
    const env: NodeJS.ProcessEnv = { HBADIFF_TGTD: 'build/tgtd' };
    expect(tgtdBinary(env)).toBe(resolve('build/tgtd'));
    expect(env.ASAN_OPTIONS).toBe(tgtdAsanOptions);
    expect(tgtdAsanOptions).not.toMatch(/log_path|abort_on_error=1/);

    const own: NodeJS.ProcessEnv = { HBADIFF_TGTD: '/opt/tgtd', ASAN_OPTIONS: 'log_path=/tmp/asan' };
    expect(tgtdBinary(own)).toBe('/opt/tgtd');
    expect(own.ASAN_OPTIONS).toBe('log_path=/tmp/asan');
  });
});
