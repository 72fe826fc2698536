import { SingleBar } from 'cli-progress';
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { CampaignProgress, runCampaign } from '../campaign/campaign';
import { caseGenerator } from '../campaign/case-generator';
import { GuestExecutors } from '../campaign/guest-executors';
import { loadPolicy, defaultPolicyFile } from '../diff/load-policy';
import { UserError } from '../errors/user-error';
import { FindingsStore } from '../findings/findings-store';
import { defaultTopology, layoutTopology, PathId } from '../qemu/topology';
import { AcceleratorChoice } from '../session/accelerator';
import { blockBytes } from '../session/disk-content';
import { stopOnSignals } from './stop-on-signals';

export interface RunOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly seed?: number;
  readonly time: number;
  readonly count?: number;
  readonly paths?: string;
  readonly policy?: string;
  readonly findings?: string;
}

/** `--paths a,b`: names from the default topology, at least two of them, or the comparison has nothing to compare. */
const choosePaths = (list: string | undefined): PathId[] | undefined => {
  if (list === undefined) return undefined;
  const known = layoutTopology(defaultTopology).map((layout) => layout.path);
  const chosen = list.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !known.includes(name as PathId));
  if (unknown.length > 0) throw new UserError(`--paths: unknown path ${unknown.join(', ')} (the default topology has ${known.join(', ')})`);
  if (new Set(chosen).size < 2) throw new UserError('--paths: name at least two different paths to compare');
  return chosen as PathId[];
};

const summaryTable = (progress: CampaignProgress): string[] => {
  const tallies = [...progress.tallies.values()].sort((a, b) => b.count - a.count);
  if (tallies.length === 0) return ['no divergences'];
  return [
    `${tallies.length} signature(s):`,
    '  count  signature     what',
    ...tallies.map((tally) => `  ${String(tally.count).padStart(5)}  ${tally.signature.id}  ${tally.signature.text}`),
  ];
};

/** The campaign: generated sequences through every path until the budget is spent, findings as they come. */
export const runCommand = async (options: RunOptions): Promise<void> => {
  const seed = options.seed ?? randomInt(2 ** 31 - 1);
  const policy = loadPolicy(options.policy ?? defaultPolicyFile);
  const paths = choosePaths(options.paths);
  const store = new FindingsStore(resolve(process.env.INIT_CWD ?? process.cwd(), options.findings ?? join('findings', new Date().toISOString().replace(/[:.]/g, '-'))));
  const executors = new GuestExecutors({ qemu: options.qemu, accelerator: options.accel }, (session) => {
    console.log(`QEMU ${session.qemu.version}, ${session.accelerator.toUpperCase()}, guest booted in ${(session.bootMs / 1000).toFixed(2)} s; paths:`);
    for (const path of session.paths) console.log(`  ${path.id}: ${path.device.sgNode}, guest driver ${path.device.procName}`);
  });
  stopOnSignals(() => executors.close());
  console.log(`seed ${seed} (repeat with --seed ${seed}); policy ${policy.source}; findings in ${store.directory}`);
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {cases} cases | {rate} commands/s | {findings} signatures',
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  const geometry = { blocks: defaultTopology.diskBytes / blockBytes, blockBytes };
  let barStarted = false;
  try {
    const progress = await runCampaign({
      seed,
      timeMs: options.time * 1000,
      maxCases: options.count,
      policy,
      store,
      executors,
      generate: caseGenerator(geometry, paths),
      onCase: (now) => {
        const payload = {
          cases: now.cases,
          rate: ((now.commands / Math.max(1, now.elapsedMs)) * 1000).toFixed(0),
          findings: now.tallies.size,
        };
        const done = options.count !== undefined ? (now.cases / options.count) * 100 : (now.elapsedMs / (options.time * 1000)) * 100;
        if (!barStarted) bar.start(100, 0, payload);
        barStarted = true;
        bar.update(Math.min(100, Math.floor(done)), payload);
      },
    });
    bar.stop();
    console.log(`${progress.cases} cases, ${progress.commands} commands in ${(progress.elapsedMs / 1000).toFixed(0)} s; guest restarts: ${progress.restarts}`);
    for (const line of summaryTable(progress)) console.log(line);
  } finally {
    bar.stop();
    await executors.close();
  }
};
