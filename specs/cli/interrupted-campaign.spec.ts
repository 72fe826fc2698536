import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalFileName } from '../../harness/campaign/campaign-plan';
import { loadCampaign } from '../../harness/campaign/load-campaign';
import { delay } from '../../harness/process/delay';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');
const marker = `HBADIFF_SPEC_MARK=${randomBytes(8).toString('hex')}`;
/** Not 4242: shrinking a finding of its second case (seed 4243) makes Debian 12's tgtd die of SIGSEGV, an environment fault. */
const seed = 5150;
const count = 6;
/** Two guests at once, so that an interrupted campaign must stop both and record its cases in order. */
const jobs = 2;

/** Every live process that inherited the marker: the CLI, its node, the reaper, QEMU, tgtd. */
const markedProcesses = (): string[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) return [];
        return [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()}`];
      } catch {
        return [];
      }
    });

interface Campaign {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  readonly output: () => string;
  /** tgtd's control sockets, as seen on its command line while it ran. */
  readonly sockets: Set<string>;
}

describe('hbadiff run interrupted by SIGINT and SIGTERM, then resumed', () => {
  let tmp: string;
  let findings: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'hbadiff-tmpdir-'));
    findings = join(mkdtempSync(join(tmpdir(), 'hbadiff-resume-')), 'findings');
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(join(findings, '..'), { recursive: true, force: true });
  });

  /**
   * In a process group of its own, as a terminal's foreground job is; with a TMPDIR of its own, so that its
   * temp files can be counted (tsx keeps a cache there, tsx-UID, which is not the harness's).
   */
  const start = (args: string[]): Campaign => {
    const child = spawn(hbadiff, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp, [marker.split('=')[0]]: marker.split('=')[1] } });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))), output: () => text, sockets: new Set() };
  };

  const journalLines = (): number => (existsSync(join(findings, journalFileName)) ? readFileSync(join(findings, journalFileName), 'utf8').split('\n').length - 1 : 0);

  /** Until the campaign has recorded one more case than when it started, with each guest's tgtd seen running. */
  const runOneMoreCase = async (campaign: Campaign): Promise<void> => {
    let exited = false;
    void campaign.exit.then(() => (exited = true));
    const lines = journalLines() + 1;
    while (journalLines() < lines || campaign.sockets.size < jobs) {
      if (exited) throw new Error(`the campaign ended before case ${lines - 1}:\n${campaign.output()}`);
      for (const process of markedProcesses()) {
        const port = /tgtd -f -C (\d+)/.exec(process)?.[1];
        if (port) campaign.sockets.add(`/run/tgtd/socket.${port}`);
      }
      await delay(100);
    }
  };

  /** What is still there once the harness and its reaper have had 20 s to clean up. */
  const leftovers = async (campaign: Campaign): Promise<string[]> => {
    const left = (): string[] => [...markedProcesses(), ...readdirSync(tmp).filter((name) => name.startsWith('hbadiff-')).map((name) => join(tmp, name)), ...[...campaign.sockets].filter((file) => existsSync(file))];
    const deadline = Date.now() + 20_000;
    while (left().length > 0 && Date.now() < deadline) await delay(200);
    return left();
  };

  const expectFindingsOnDisk = (): void => {
    const { resume } = loadCampaign(findings);
    for (const id of resume.tallies.keys()) {
      expect(existsSync(join(findings, id, 'case.json'))).toBe(true);
      expect(existsSync(join(findings, id, 'report.md'))).toBe(true);
    }
  };

  it.each([
    ['SIGINT', ['--seed', String(seed), '--count', String(count), '--paths', 'virtio-scsi:scsi-hd,virtio-scsi:scsi-block', '--findings', 'FINDINGS', '--no-baseline', '--jobs', String(jobs)], 130],
    ['SIGTERM', ['--resume', 'FINDINGS', '--no-baseline', '--jobs', String(jobs)], 143],
  ] as const)('%s mid-campaign: exits with the signal\'s code, every finding on disk, no process or file left', async (signal, args, code) => {
    const campaign = start(['run', ...args.map((arg) => (arg === 'FINDINGS' ? findings : arg))]);
    await runOneMoreCase(campaign);
    // One tgtd per guest: each of them must be gone with the rest.
    expect(campaign.sockets.size).toBe(jobs);
    process.kill(-(campaign.child.pid as number), signal);
    expect(await campaign.exit).toBe(code);
    expect(await leftovers(campaign)).toEqual([]);
    expectFindingsOnDisk();
  }, 240_000);

  it('--resume goes on at the next case and seed, and ends with each case once and each finding once', async () => {
    const before = loadCampaign(findings).resume.cases;
    const campaign = start(['run', '--resume', findings, '--no-baseline']);
    expect(await campaign.exit).toBe(0);
    expect(campaign.output()).toContain(`resuming at case ${before} (seed ${seed + before})`);
    expect(await leftovers(campaign)).toEqual([]);
    // loadCampaign refuses a journal whose cases are out of order or that sees a signature first twice.
    const { resume } = loadCampaign(findings);
    expect(resume.cases).toBe(count);
    const kept = readdirSync(findings).filter((name) => /^[0-9a-f]{12}$/.test(name));
    expect(kept.sort()).toEqual([...resume.tallies.keys()].sort());
    for (const tally of resume.tallies.values()) {
      const found = JSON.parse(readFileSync(join(findings, tally.signature.id, 'case.json'), 'utf8')) as { provenance: { seed: number } };
      expect(found.provenance.seed).toBe(tally.firstSeed);
    }
  }, 240_000);
});
