import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

const runHbadiff = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const result = spawnSync(hbadiff, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr.trim() };
};

/** Input a user can get wrong is answered in one line naming it, with no stack trace, before anything boots. */
describe('the CLI given bad input', () => {
  it.each([
    [['--qemu', '/nonexistent/qemu'], {}, 125, /^hbadiff: --qemu: \/nonexistent\/qemu is not an executable file$/],
    [[], { QTEST_QEMU_BINARY: '/bin/true' }, 125, /^hbadiff: \/bin\/true does not look like QEMU/],
    [[], { HBADIFF_ACCEL: 'xen' }, 2, /^hbadiff: HBADIFF_ACCEL: accelerator must be auto, kvm or tcg, not "xen"$/],
    [['--accel', 'xen'], {}, 2, /argument 'xen' is invalid/],
    [['no-such-command'], {}, 2, /too many arguments|unknown command/],
    [['--time', '0'], {}, 2, /^error: option '--time <seconds>' argument '0' is invalid\. --time takes a whole number of at least 1$/],
    [['--command-timeout', 'soon'], {}, 2, /^error: option '--command-timeout <seconds>' argument 'soon' is invalid/],
    [[], { HBADIFF_COMMAND_TIMEOUT: '-5' }, 2, /^error: option '--command-timeout <seconds>' value '-5' from env 'HBADIFF_COMMAND_TIMEOUT' is invalid/],
    [['--paths', 'megasas:scsi-hd,nope'], {}, 2, /^hbadiff: --paths: unknown path nope \(the default topology has /],
    [['--policy', '/nonexistent/policy.json'], {}, 2, /^hbadiff: \/nonexistent\/policy\.json: cannot read the policy: ENOENT$/],
    [['--resume', '/nonexistent'], {}, 2, /^hbadiff: \/nonexistent\/campaign\.json: cannot read the campaign: ENOENT$/],
    [['--resume', '/nonexistent', '--seed', '3', '--count', '2'], {}, 2, /^hbadiff: --resume continues the campaign .*; drop --seed, --count$/],
    [['--shard', '3/2'], {}, 2, /^error: option '--shard <i\/n>' argument '3\/2' is invalid\. --shard: "3\/2" is not i\/n with 1 <= i <= n \(e\.g\. 2\/4\)$/],
    [['--resume', '/nonexistent', '--shard', '1/2'], {}, 2, /^hbadiff: --resume continues the campaign .*; drop --shard$/],
    [['conformance', '--tests', '('], {}, 2, /^hbadiff: --tests \(: not a regular expression \(/],
    [['conformance', '--tests', '^NoSuchSuite\\.'], {}, 2, /^hbadiff: --tests \^NoSuchSuite\\\.: matches none of the SCSI family's 215 tests \(iscsi-test-cu --list\)$/],
    [['conformance', '--paths', 'megasas:scsi-hd,nope'], {}, 2, /^hbadiff: --paths: unknown path nope \(the default topology has /],
    [['corpus', 'import', '--out', '/nonexistent/out'], {}, 2, /^hbadiff: corpus import: name the files or directories to read, or --from libiscsi$/],
    [['corpus', 'import', '--from', 'libiscsi', 'cases/', '--out', '/nonexistent/out'], {}, 2, /^hbadiff: corpus import --from libiscsi reads no files: drop cases\/$/],
  ])('%j with %j exits %i with one line', (args, env, status, message) => {
    const result = runHbadiff(args, env);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
  });
});

/** A real full file system: a 1 MiB tmpfs as TMPDIR, where the guest's 8 MiB disks cannot be made. */
describe('the CLI on a full disk', () => {
  let mountPoint: string;
  beforeAll(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'hbadiff-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'hbadiff-full', mountPoint]);
  });
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('says which file found no space, exits 125, and leaves nothing in TMPDIR', () => {
    const result = runHbadiff(['paths', '--accel', 'tcg'], { TMPDIR: mountPoint });
    expect(result.stderr).toMatch(/^hbadiff: .*\/hbadiff-[^/]+\/[\w-]+\.raw: no space left on the device \(ENOSPC\)$/);
    expect(result.status).toBe(125);
    // tsx keeps its cache there (tsx-UID); the harness's own directories are hbadiff-*.
    expect(readdirSync(mountPoint).filter((name) => name.startsWith('hbadiff-'))).toEqual([]);
  });
});
