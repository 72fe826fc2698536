import { spawnSync } from 'node:child_process';
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
  ])('%j with %j exits %i with one line', (args, env, status, message) => {
    const result = runHbadiff(args, env);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
