import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { describeExit, QemuExited } from '../qemu/machine-exit';
import { probeQemu } from '../qemu/binary';
import { locateQtestQemu } from '../qtest/qtest-qemu';
import { loadCase } from '../case/load-case';
import { QtestExecutor } from '../qtest/qtest-executor';
import { topologyOfOnePath } from '../session/case-topology';
import { defaultCasePaths } from '../case/case-paths';
import { defaultTopology } from '../qemu/topology';
import { readReproducers } from '../qtest/read-reproducers';
import { QtestReproducer } from '../qtest/reproducer';
import { replayReproducer, ReplayReproducerOptions } from '../qtest/replay-reproducer';
import { describeReplay, ReplayVerdict } from '../qtest/replay-verdict';
import { heredocOf } from '../qtest/write-heredoc';
import { makeOutputDirectory, reportBad } from './corpus-command';

export const reproducerExtension = '.qtest';

/** Every reproducer of every file; a file that cannot be read is one error line and the others are still read. */
const readAll = (files: readonly string[]): { reproducers: QtestReproducer[]; errors: string[] } => {
  const reproducers: QtestReproducer[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      reproducers.push(...readReproducers(file));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors.push(error.message);
    }
  }
  return { reproducers, errors };
};

/** `hbadiff reproducer import FILE... --out DIR`: one runnable heredoc file per reproducer, named after it. */
export const importReproducersCommand = (files: readonly string[], out: string): void => {
  const { reproducers, errors } = readAll(files);
  if (reproducers.length > 0) makeOutputDirectory(out);
  const written = new Map<string, string>();
  for (const reproducer of reproducers) {
    const file = join(out, `${reproducer.name}${reproducerExtension}`);
    const earlier = written.get(file);
    if (earlier !== undefined) {
      errors.push(`${reproducer.provenance}: not written: ${file} is already written from ${earlier}`);
      continue;
    }
    writeFileSync(file, heredocOf(reproducer));
    written.set(file, reproducer.provenance);
  }
  console.log(`${written.size} reproducer(s) written to ${out}`);
  reportBad(errors);
};

export interface ReplayReproducersOptions {
  readonly qemu?: string;
  /** Seconds one line may go unanswered before QEMU counts as hung. */
  readonly timeout: number;
}

/** The verdict, or why QEMU would not start with the reproducer's arguments (a machine or device this build lacks). */
const replayOrRefusal = async (reproducer: QtestReproducer, options: ReplayReproducerOptions): Promise<ReplayVerdict | string> => {
  try {
    return await replayReproducer(reproducer, options);
  } catch (error) {
    if (!(error instanceof QemuExited)) throw error;
    return `cannot start: QEMU ${describeExit(error.exit)}: ${error.lastOutput.find((line) => line.trim() !== '') ?? '(no output)'}`;
  }
};

/**
 * `hbadiff reproducer replay FILE...`: each reproducer on a fresh QEMU, its verdict printed as it comes. The
 * exit status: 1 when any crashed or hung, else 125 when QEMU would not start for one, else 2 when a file could
 * not be read, else 0. A QEMU without the qtest accelerator stops the replay at once (125).
 */
export const replayReproducersCommand = async (files: readonly string[], options: ReplayReproducersOptions): Promise<number> => {
  const qemu = await locateQtestQemu(options.qemu);
  const { reproducers, errors } = readAll(files);
  const outcomes: (ReplayVerdict | string)[] = [];
  for (const reproducer of reproducers) {
    const outcome = await replayOrRefusal(reproducer, { qemu, timeoutMs: options.timeout * 1000 });
    console.log(`${reproducer.name}: ${typeof outcome === 'string' ? outcome : describeReplay(outcome)}`);
    outcomes.push(outcome);
  }
  const clean = outcomes.filter((outcome) => typeof outcome !== 'string' && outcome.kind === 'clean').length;
  const unstarted = outcomes.filter((outcome) => typeof outcome === 'string').length;
  const failed = outcomes.length - clean - unstarted;
  console.log(`${clean} clean, ${failed} crashed or hung${unstarted > 0 ? `, ${unstarted} could not start` : ''}, on ${qemu}`);
  reportBad(errors);
  if (failed > 0) return 1;
  if (unstarted > 0) return cannotTestExitCode;
  return errors.length > 0 ? 2 : 0;
};

export interface ExportReproducersOptions {
  readonly qemu?: string;
  readonly out: string;
}

/**
 * `hbadiff reproducer export CASE... --out DIR`: runs each case at frame level on a fresh QEMU whose disks
 * read zeroes (null-co: no file, no tgtd) and writes everything that QEMU was sent as DIR/<case>.qtest, then
 * replays that file on the same QEMU, so the verdict printed is the reproducer's own, not the case's.
 */
export const exportReproducersCommand = async (files: readonly string[], options: ExportReproducersOptions): Promise<void> => {
  const qemu = await probeQemu(await locateQtestQemu(options.qemu));
  const cases = await Promise.all(files.map(async (file) => ({ file, testCase: await loadCase(file) })));
  makeOutputDirectory(options.out);
  for (const { file, testCase } of cases) {
    const paths = testCase.paths ?? defaultCasePaths;
    const onFile = paths.filter((path) => path.split(':')[1] === 'scsi-hd');
    if (onFile.length === 0) throw new UserError(`${file}: no scsi-hd path; a passthrough LUN needs tgtd behind QEMU, which a standalone reproducer cannot carry`);
    const left = paths.filter((path) => !onFile.includes(path));
    if (left.length > 0) console.log(`${file}: leaves out ${left.join(', ')} (a passthrough LUN needs tgtd behind QEMU)`);
    const diskBytes = testCase.disk?.bytes ?? defaultTopology.diskBytes;
    const topology = { diskBytes, hbas: onFile.map((path) => topologyOfOnePath(path, diskBytes).hbas[0]) };
    const executor = await QtestExecutor.open(qemu, topology, 'zeroes');
    try {
      const run = await executor.run({ ...testCase, paths: onFile });
      const name = basename(file).replace(/\.json$/, '');
      const reproducer = executor.reproducer(name, `${file}, run at frame level on QEMU ${qemu.version}`);
      const written = join(options.out, `${name}${reproducerExtension}`);
      writeFileSync(written, heredocOf(reproducer));
      const verdict = await replayReproducer(reproducer, { qemu: qemu.path, timeoutMs: 10_000 });
      const caseEnded = run.failure ? `the case: ${run.failure.kind}` : 'the case ran to its end';
      console.log(`${file} -> ${written}: ${reproducer.lines.length} lines; ${caseEnded}; the reproducer: ${describeReplay(verdict)}`);
    } finally {
      await executor.close();
    }
  }
};
