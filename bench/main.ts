import { Command, Option } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadBaselineFor } from '../harness/baseline/load-baseline';
import { defaultPolicyFile, loadPolicy } from '../harness/diff/load-policy';
import { GuestSession } from '../harness/session/guest-session';
import { measureBoot, measureBootAllHbas } from './boot';
import { measureRestart } from './restart';
import { measureCampaignScaling } from './campaign-scaling';
import { describeHost, residentKiB } from './host';
import { resultsMarkdown } from './markdown';
import { benchProfiles } from './profile';
import { BenchResults } from './results';
import { summarize } from './statistics';
import { measureThroughput } from './throughput';
import { measureFrames } from './frames';

type Part = 'boot' | 'restart' | 'throughput' | 'campaign' | 'frames';
const parts: readonly Part[] = ['boot', 'restart', 'throughput', 'campaign', 'frames'];

interface BenchOptions {
  readonly quick?: boolean;
  readonly only?: Part[];
  readonly guests: number;
}

/** Loops of thousands of commands and batches of 64 KiB writes are single requests. */
const benchRequestTimeoutMs = 600_000;

const main = async (options: BenchOptions): Promise<void> => {
  const profile = benchProfiles[options.quick ? 'quick' : 'full'];
  const chosen = new Set(options.only ?? parts);
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {
    profile: profile.name,
    takenAt: new Date().toISOString(),
    host: describeHost(),
    setup: '',
  };
  if (chosen.has('boot')) {
    results.boot = await measureBoot(profile.boots);
    results.bootAllHbas = await measureBootAllHbas(profile.boots);
  }
  if (chosen.has('restart')) results.restart = await measureRestart(profile.boots);
  if (chosen.has('frames')) results.frames = await measureFrames(profile);

  const session = await GuestSession.start({ requestTimeoutMs: benchRequestTimeoutMs });
  results.setup = `QEMU ${session.qemu.version}, ${session.accelerator.toUpperCase()}, guest kernel ${session.image.kernelRelease}, paths ${session.paths.map((path) => path.id).join(', ')}`;
  const qemuRss: number[] = [];
  const harnessRss: number[] = [];
  try {
    if (chosen.has('throughput')) results.throughput = await measureThroughput(session, profile);
    qemuRss.push(residentKiB(session.machine.pid) ?? NaN);
    harnessRss.push(Math.round(process.memoryUsage().rss / 1024));
  } finally {
    await session.stop();
  }
  if (chosen.has('campaign')) {
    const known = new Set((await loadBaselineFor(session.qemu.version)).entries.map((entry) => entry.signature));
    results.campaign = await measureCampaignScaling(options.guests, profile, loadPolicy(defaultPolicyFile), known);
    for (const row of results.campaign) {
      qemuRss.push(...row.qemuRssKiB);
      harnessRss.push(...row.harnessRssKiB);
    }
  }
  results.memory = { qemuRssKiB: summarize(qemuRss.filter((rss) => !Number.isNaN(rss))), harnessRssKiB: summarize(harnessRss) };

  // Only a full run of every part stands for the README; quick and partial runs go to bench/out/.
  const complete = profile.name === 'full' && chosen.size === parts.length;
  const outDir = complete ? __dirname : join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  const markdown = resultsMarkdown(results);
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'results.md'), markdown);
  console.log(markdown);
  console.log(`written to ${join(outDir, 'results.json')} and results.md`);
};

new Command('bench')
  .description("hbadiff's benchmarks: boot, a fresh guest after a crash, harness against in-guest command rates per path, campaign scaling and where a case's time goes, memory")
  .option('--quick', 'few and short samples, to check the suite itself; written to bench/out/')
  .addOption(new Option('--only <parts...>', 'measure only these').choices(parts))
  .option('--guests <n>', 'the most guests in parallel for the campaign scaling', (value) => Number(value), cpus().length)
  .action((options: BenchOptions) => main(options))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
