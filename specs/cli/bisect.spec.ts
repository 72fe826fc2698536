import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateQemu } from '../../harness/qemu/binary';
import { sameBuild, vendorChangedBuild } from '../fixtures/qemu-wrappers';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

/** The standard INQUIRY through megasas and virtio-scsi, each to a scsi-hd: equal unless a build makes them differ. */
const inquiryCase = {
  format: 'hbadiff-case/1',
  paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'],
  steps: [{ cdb: '12 00 00 00 24 00', dir: 'from-device', length: 36 }],
};

/**
 * Six levels of a QEMU "history", each a wrapper around the real QEMU: the first three run it as it is, the
 * last three give the megasas disk another vendor string, a guest-visible change of the kind a patch to
 * hw/scsi/ might make by mistake.
 */
describe('git bisect run hbadiff replay', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'hbadiff', GIT_AUTHOR_EMAIL: 'hbadiff@invalid', GIT_COMMITTER_NAME: 'hbadiff', GIT_COMMITTER_EMAIL: 'hbadiff@invalid' } });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'hbadiff-bisect-'));
    const qemu = locateQemu(undefined);
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'case.json'), JSON.stringify(inquiryCase));
    const builds = ['good', 'good', 'good', 'bad', 'bad', 'bad'];
    builds.forEach((build, index) => {
      writeFileSync(join(repo, 'qemu'), build === 'good' ? sameBuild(qemu) : vendorChangedBuild(qemu));
      chmodSync(join(repo, 'qemu'), 0o755);
      writeFileSync(join(repo, 'level'), `${index + 1}\n`);
      git('add', '.');
      git('commit', '-q', '-m', `level ${index + 1}: ${build}`);
    });
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('names the first build whose guest sees a difference, from replay exit codes alone', () => {
    const levels = git('rev-list', '--reverse', 'main').trim().split('\n');
    git('bisect', 'start', levels[5], levels[0]);
    const bisect = spawnSync('git', ['bisect', 'run', hbadiff, 'replay', '--accel', 'tcg', '--qemu', './qemu', 'case.json'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 600_000,
    });
    const log = git('bisect', 'log');
    git('bisect', 'reset');
    expect(bisect.status).toBe(0);
    expect(bisect.stdout).toContain(`${levels[3]} is the first bad commit`);
    expect(bisect.stdout).toContain('level 4: bad');
    // Every step the bisection took was a replay that said good (0) or bad (1), none that could not test.
    expect(log).not.toMatch(/git bisect skip/);
    expect(log.match(/^git bisect (good|bad)/gm)?.length).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
