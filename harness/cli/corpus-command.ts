import { SingleBar } from 'cli-progress';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ExecutorSource } from '../execute/restarting-executor';
import { GuestExecutors } from '../campaign/guest-executors';
import { Case } from '../case/case-types';
import { systemErrorText } from '../case/load-case';
import { UserError } from '../errors/user-error';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { topologyFor } from '../session/case-topology';
import { BehaviourCache, caseKey } from '../corpus/behaviour-cache';
import { behaviourKey } from '../corpus/behaviour';
import { behaviourEnvironment } from '../corpus/behaviour-environment';
import { CorpusFormat, formatNamed } from '../corpus/corpus-format';
import { corpusStats, CorpusStats } from '../corpus/corpus-stats';
import { measureBehaviours } from '../corpus/measure-behaviours';
import { minimizeCorpus } from '../corpus/minimize-corpus';
import { CorpusEntry, readCorpus } from '../corpus/read-corpus';
import { findGuestImage } from '../guest/image';
import { locateQemu } from '../qemu/binary';
import { defaultTopology, Topology } from '../qemu/topology';
import { AcceleratorChoice } from '../session/accelerator';
import { stopOnSignals } from './stop-on-signals';

export interface MeasureCommandOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly policy?: string;
}

/** Bad files are reported one line each, and make the command exit 2 once the good ones are done. */
export const reportBad = (errors: readonly string[]): void => {
  for (const error of errors) console.error(`hbadiff: ${error}`);
  if (errors.length > 0) process.exitCode = 2;
};

/** `--out`, created if need be; what stands in the way is the user's to fix. */
export const makeOutputDirectory = (out: string): void => {
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new UserError(`--out ${out}: cannot create the directory: ${systemErrorText(error)}`);
  }
};

const outputName = (entry: CorpusEntry, format: CorpusFormat): string =>
  `${basename(entry.file, extname(entry.file))}${format.extension}`;

/** `hbadiff corpus export`: each case of the sources written in one format into `out`. */
export const exportCommand = async (sources: readonly string[], formatName: string, out: string): Promise<void> => {
  const format = formatNamed(formatName);
  if (!format) throw new Error(`no corpus format ${formatName}`);
  const corpus = await readCorpus(sources);
  if (corpus.entries.length > 0) makeOutputDirectory(out);
  const written = new Map<string, string>();
  const errors = [...corpus.errors];
  for (const entry of corpus.entries) {
    const file = join(out, outputName(entry, format));
    const earlier = written.get(file);
    if (earlier !== undefined) {
      errors.push(`${entry.file}: not written: ${file} is already written from ${earlier}`);
      continue;
    }
    writeFileSync(file, format.write(entry.case));
    if (format.executable) chmodSync(file, 0o755);
    written.set(file, entry.file);
  }
  console.log(`${written.size} case(s) written to ${out} as ${format.name}`);
  reportBad(errors);
};

/** The behaviours of a directory's cases, measured once per environment and then read from its cache. */
const measuredCorpus = async (directory: string, options: MeasureCommandOptions) => {
  const corpus = await readCorpus([directory]);
  const policy = loadPolicy(options.policy ?? defaultPolicyFile);
  const environment = behaviourEnvironment({ qemuPath: locateQemu(options.qemu), imageKey: findGuestImage().key, policy });
  const open: ExecutorSource[] = [];
  stopOnSignals(async () => {
    for (const executors of open) await executors.close();
  });
  const bar = new SingleBar({ format: 'running cases {bar} {value}/{total}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 });
  let barStarted = false;
  try {
    const measured = await measureBehaviours(corpus.entries, {
      cache: new BehaviourCache(directory),
      environment,
      policy,
      executorsFor: (topology: Topology) => {
        const executors = new GuestExecutors({ topology, qemu: options.qemu, accelerator: options.accel });
        open.push(executors);
        return executors;
      },
      onRun: (done, total) => {
        if (!barStarted) bar.start(total, 0);
        barStarted = true;
        bar.update(done);
      },
    });
    return { corpus, measured, environment };
  } finally {
    bar.stop();
  }
};

const statsLines = (stats: CorpusStats): string[] => {
  const kinds = Object.entries(stats.kinds).map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : 's'}`);
  const shown = 10;
  return [
    `${stats.cases} case(s), ${stats.behaviours} distinct behaviour(s)${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`,
    ...stats.dimensions.flatMap((dimension) => [
      `${dimension.name}: ${dimension.values.length} value(s)`,
      ...dimension.values.slice(0, shown).map(({ value, behaviours }) => `  ${String(behaviours).padStart(5)}  ${value}`),
      ...(dimension.values.length > shown ? [`         … ${dimension.values.length - shown} more (--json lists all)`] : []),
    ]),
  ];
};

/** `hbadiff corpus stats DIR`: the corpus's behaviour coverage, per dimension. */
export const statsCommand = async (directory: string, options: MeasureCommandOptions & { readonly json?: boolean }): Promise<void> => {
  const { corpus, measured } = await measuredCorpus(directory, options);
  const stats = corpusStats([...measured.values()]);
  if (options.json) console.log(JSON.stringify(stats, null, 2));
  else for (const line of statsLines(stats)) console.log(line);
  reportBad(corpus.errors);
};

/** `hbadiff corpus minimize DIR --out OUT`: the fewest cases keeping every behaviour, copied as they are, with their cache. */
export const minimizeCommand = async (directory: string, out: string, options: MeasureCommandOptions): Promise<void> => {
  const { corpus, measured, environment } = await measuredCorpus(directory, options);
  const kept = minimizeCorpus(
    [...measured].map(([entry, behaviours]) => ({ item: { entry, behaviours }, behaviours: behaviours.map(behaviourKey), cost: entry.case.steps.length })),
  );
  makeOutputDirectory(out);
  const cache = new BehaviourCache(out);
  for (const { entry, behaviours } of kept) {
    copyFileSync(entry.file, join(out, basename(entry.file)));
    cache.record(environment, caseKey(entry.case), behaviours);
  }
  const total = corpusStats([...measured.values()]).behaviours;
  console.log(`kept ${kept.length} of ${measured.size} case(s) in ${out}, with all ${total} distinct behaviour(s)`);
  reportBad(corpus.errors);
};

/**
 * The cases of `hbadiff run --corpus DIR` that the campaign's guest can run: those needing another topology
 * (other HBAs, another disk size) are reported and left out, like bad files.
 */
export const campaignCorpus = async (directory: string): Promise<Case[]> => {
  const corpus = await readCorpus([directory]);
  const runnable = corpus.entries.filter((entry) => JSON.stringify(topologyFor(entry.case)) === JSON.stringify(defaultTopology));
  const elsewhere = corpus.entries
    .filter((entry) => !runnable.includes(entry))
    .map((entry) => `${entry.file}: left out: it needs another guest than the campaign's default topology`);
  for (const error of [...corpus.errors, ...elsewhere]) console.error(`hbadiff: ${error}`);
  return runnable.map((entry) => entry.case);
};
