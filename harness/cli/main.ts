import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { environmentFaultOf } from '../errors/environment-fault';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { BootTimeout, QemuExited } from '../qemu/machine-exit';
import { mergeFindings } from '../findings/merge-findings';
import { junitReport } from '../findings/junit-report';
import { summaryTable } from './summary-table';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AcceleratorChoice, parseAcceleratorChoice } from '../session/accelerator';
import { transports } from '../execute/transport';
import { pathsCommand, PathsOptions } from './paths-command';
import { replayCommand, ReplayOptions } from './replay-command';
import { runCommand, RunOptions } from './run-command';
import { shrinkCommand, ShrinkOptions } from './shrink-command';
import {
  baselineFrameLevelCommand,
  BaselineFrameLevelOptions,
  baselineUpdateCommand,
  BaselineUpdateOptions,
  baselineUpstreamCommand,
  BaselineUpstreamOptions,
} from './baseline-command';
import { exportCommand, minimizeCommand, statsCommand } from './corpus-command';
import { parseShard, Shard } from '../campaign/shard';
import { latencyCommand, LatencyOptions } from './latency-command';
import { conformanceCommand, ConformanceOptions } from './conformance-command';
import { importLibiscsiCorpus } from './libiscsi-corpus';
import { framesCommand, FramesOptions } from './frames-command';
import {
  exportReproducersCommand,
  ExportReproducersOptions,
  importReproducersCommand,
  replayReproducersCommand,
  ReplayReproducersOptions,
} from './reproducer-command';

/** commander's own error for a value `parse` refuses, so that it names the flag the way commander does. */
const parsedBy =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

const acceleratorOption = new Option('--accel <accelerator>', 'auto (probe KVM, fall back to TCG), kvm or tcg').argParser(
  parsedBy((value): AcceleratorChoice => parseAcceleratorChoice(value, '--accel')),
);

const shardOption = new Option('--shard <i/n>', 'run shard i of n of the campaign: case k uses seed + k*n + (i-1), so n runners share one campaign').argParser(
  parsedBy((value): Shard => parseShard(value, '--shard')),
);

/** One guest per core by default: a TCG guest keeps a core busy, and the cases of one campaign are independent. */
const jobsOption = new Option('--jobs <n>', 'guests running the campaign at once, each on its own share of the cases (default: the cores)')
  .env('HBADIFF_JOBS')
  .default(availableParallelism(), 'the cores')
  .argParser((value: string) => integerOption('--jobs', 1)(value));

const hbasOption = new Option('--hbas <list>', 'comma-separated HBAs, each with each of --disks on an HBA of its own, or all: every HBA this QEMU has and the guest binds');
const disksOption = new Option('--disks <list>', 'the disk kinds behind each of --hbas').default('scsi-hd,scsi-block');

const qemuOption = new Option('--qemu <binary>', 'QEMU system emulator (default: QTEST_QEMU_BINARY, else qemu-system-x86_64 on PATH)');
const baselineQemuOption = new Option(
  '--baseline-qemu <binary>',
  'compare each path with itself under this QEMU build (the one before the patch) instead of the paths with each other',
).env('HBADIFF_BASELINE_QEMU');
const transportOption = new Option(
  '--transport <transport>',
  "guest: a Linux guest's drivers over SG_IO; qtest: QEMU under qtest, hbadiff's own frames to megasas, megasas-gen2 and virtio-scsi, no guest (needs a QEMU built with qtest: npm run qemu-stable -- 7.2.22)",
)
  .choices(transports)
  .default('guest');
const policyOption = new Option('--policy <file>', 'the policy of intended differences (default: harness/diff/default-policy.json)');

const program = new Command('hbadiff')
  .description("Differential testing of QEMU's emulated SCSI host bus adapters from inside a real Linux guest")
  // commander's own line names the flag and what is wrong with it; the whole help after it would bury that.
  .showHelpAfterError(false)
  .exitOverride();

const integerOption = (name: string, minimum: number) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`${name} takes a whole number of at least ${minimum}`);
  return parsed;
};

const integerOptionUpTo = (name: string, minimum: number, maximum: number) => (value: string): number => {
  const parsed = integerOption(name, minimum)(value);
  if (parsed > maximum) throw new InvalidArgumentError(`${name} takes a whole number from ${minimum} to ${maximum}`);
  return parsed;
};

const commandTimeoutOption = new Option('--command-timeout <seconds>', 'how long one batch of commands may go unanswered before the guest counts as hung (default: 60, sized for TCG)')
  .env('HBADIFF_COMMAND_TIMEOUT')
  .argParser(integerOption('--command-timeout', 1));

/** What makes a campaign what it is comes from DIR's journal on `--resume`: a flag that says otherwise is a mistake. */
const refuseWithResume = (options: RunOptions, command: Command): void => {
  if (options.resume === undefined) return;
  const given = ['seed', 'time', 'count', 'paths', 'hbas', 'disks', 'policy', 'findings', 'shard', 'queueDepth', 'hostEvents'].filter((name) => command.getOptionValueSource(name) === 'cli');
  if (given.length > 0) {
    const flags = given.map((name) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`));
    throw new UserError(`--resume continues the campaign with the seed, shard, budget, paths, draws, policy and findings it began with; drop --${flags.join(', --')}`);
  }
};

program
  .command('run', { isDefault: true })
  .description('the differential campaign: random SCSI command sequences through every path, findings as they come')
  .addOption(qemuOption)
  .addOption(baselineQemuOption)
  .addOption(acceleratorOption)
  .addOption(transportOption)
  .option('--seed <n>', 'seed of the first case; the same seed repeats the campaign case by case', integerOption('--seed', 0))
  .option('--time <seconds>', 'budget in seconds', integerOption('--time', 1), 300)
  .option('--count <cases>', 'stop after this many cases', integerOption('--count', 1))
  .option('--paths <list>', 'comma-separated paths of the default topology to compare (default: all)')
  .addOption(hbasOption)
  .addOption(disksOption)
  .addOption(policyOption)
  .option('--findings <dir>', 'where findings go (default: findings/<date>)')
  .option('--no-baseline', "write every signature found, also those the QEMU version's baseline knows")
  .option('--corpus <dir>', "run this corpus's cases first, then generated ones")
  .option('--no-model', 'compare the paths with each other only, not with the reference model of the disk (SBC-4/SPC-5)')
  .option('--resume <dir>', 'continue the interrupted campaign whose findings are in DIR, at its next case')
  .option('--junit <file>', 'also write the causes as JUnit XML, one test case per cause, failed when new (summary.json is always written)')
  .option('--upstream-qemu <binary>', "replay each new cause's case on this newer QEMU too (e.g. Debian 13's, `npm run qemu-trixie`) and say whether it still shows there")
  .option('--queue-depth <n>', 'also draw groups of up to n queued commands, in flight at once on every path (1: none; sg queues 16 a device)', integerOptionUpTo('--queue-depth', 1, 16), 1)
  .option('--host-events', 'also draw host events: pause, unplug and plug, and where QEMU holds every disk, resize and I/O errors', false)
  .addOption(shardOption)
  .addOption(jobsOption)
  .addOption(commandTimeoutOption)
  .action((options: RunOptions, command: Command) => {
    refuseWithResume(options, command);
    return runCommand(options);
  });

program
  .command('replay')
  .description('boot fresh disks and run each case file on every path it names; exit 0 agree, 1 diverge, 125 cannot test')
  .argument('<case...>', 'case files (hbadiff-case/1)')
  .addOption(qemuOption)
  .addOption(baselineQemuOption)
  .addOption(acceleratorOption)
  .addOption(transportOption)
  .addOption(policyOption)
  .addOption(commandTimeoutOption)
  .option('--json', 'print a machine-readable report')
  .option('--no-model', 'compare the paths with each other only, not with the reference model of the disk (SBC-4/SPC-5)')
  .action(async (files: string[], options: ReplayOptions) => {
    process.exitCode = await replayCommand(files, options);
  });

program
  .command('shrink')
  .description('reduce a diverging case to the fewest steps and smallest CDBs that keep its signature; writes <case>.shrunk.json')
  .argument('<case>', 'a case file (hbadiff-case/1)')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(policyOption)
  .option('--signature <id>', 'the divergence to keep, by signature id or text (default: the one the case was found for, else the first)')
  .option('--attempts <runs>', 'candidate runs at most', integerOption('--attempts', 1), 200)
  .option('--no-model', 'keep a divergence between paths only, not judging against the reference model of the disk')
  .action(async (file: string, options: ShrinkOptions) => {
    process.exitCode = await shrinkCommand(file, options);
  });

const baseline = program.command('baseline').description('the causes known to diverge on a QEMU version: baselines/<version>.json');

baseline
  .command('update')
  .description('rewrite the baseline of the QEMU under test from a campaign (or findings directories), printing every change')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(policyOption)
  .option('--findings <dir...>', 'take the findings of these campaigns instead of running one')
  .option('--seed <n>', 'seed of the campaign', integerOption('--seed', 0))
  .option('--time <seconds>', 'budget of the campaign in seconds', integerOption('--time', 1), 300)
  .option('--count <cases>', 'stop the campaign after this many cases', integerOption('--count', 1))
  .option('--max-steps <n>', 'shrink harder any case longer than this', integerOption('--max-steps', 1), 3)
  .addOption(jobsOption)
  .action((options: BaselineUpdateOptions) => baselineUpdateCommand(options));

baseline
  .command('upstream')
  .description("replay every entry of the QEMU under test's baseline on another build (a newer release) and record whether it still reproduces there")
  .requiredOption('--upstream-qemu <binary>', "the other build, e.g. Debian 13's QEMU from `npm run qemu-trixie`")
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(policyOption)
  .action((options: BaselineUpstreamOptions) => baselineUpstreamCommand(options));

baseline
  .command('frame-level')
  .description("replay every entry of the QEMU's baseline over qtest (hbadiff's own frames, no guest): a cause that reproduces is QEMU's, one that vanishes the guest's")
  .addOption(qemuOption)
  .addOption(policyOption)
  .action((options: BaselineFrameLevelOptions) => baselineFrameLevelCommand(options));

program
  .command('findings')
  .description('work on findings directories')
  .command('merge')
  .description('union findings directories (one per CI shard, say) into OUT, deduplicated by signature')
  .argument('<out>', 'the merged findings directory (created if missing)')
  .argument('<dir...>', 'findings directories to merge, first wins on a shared signature')
  .option('--junit <file>', 'also write the merged causes as JUnit XML, one test case per cause, failed when new')
  .action((output: string, inputs: string[], options: { junit?: string }) => {
    const merged = mergeFindings(output, inputs);
    for (const { from, signatures } of merged.added) console.log(`${from}: ${signatures.length} new signature(s)`);
    console.log(`${output}: ${merged.added.reduce((sum, each) => sum + each.signatures.length, 0)} added, ${merged.duplicates} already there`);
    if (!merged.summary) {
      if (options.junit) throw new UserError(`--junit: none of ${inputs.join(', ')} has a summary.json to report`);
      return;
    }
    const { summary } = merged;
    console.log(`${summary.cases} cases, ${summary.commands} commands, ${summary.restarts} guest restart(s), seed ${summary.seed}, QEMU ${summary.qemuVersion}`);
    for (const line of summaryTable(summary)) console.log(line);
    if (options.junit) writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), options.junit), junitReport(summary));
    // The pipeline's verdict: red when the campaign found a cause the baseline does not know.
    if (summary.causes.some((cause) => !cause.known)) process.exitCode = 1;
  });

program
  .command('paths')
  .description('boot the default topology (or --hbas) and show, per path, the device the guest sees and its first answers')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(hbasOption)
  .addOption(disksOption)
  .action((options: PathsOptions) => pathsCommand(options));

program
  .command('latency')
  .description('per path and command, p50/p90/p99 of the in-guest SG_IO time and the share of it QEMU spent from HBA to SCSI completion: a Markdown table and an SVG chart')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .option('--iterations <n>', 'commands timed per path and command', integerOption('--iterations', 1), 2000)
  .option('--out <dir>', 'where latency.md, latency.svg and latency.json go', 'hbadiff-latency')
  .action((options: LatencyOptions) => latencyCommand(options));

program
  .command('conformance')
  .description("libiscsi's SCSI conformance tests (iscsi-test-cu) on each path in a guest of its own: a table of tests × paths, each failing or differing row decoded and made a case; exit 1 when a row changed against the version's baseline or the other build")
  .addOption(qemuOption)
  .addOption(new Option('--baseline-qemu <binary>', 'run the table on this build too and report the rows that changed from it to --qemu'))
  .addOption(acceleratorOption)
  .option('--paths <list>', 'comma-separated paths of the default topology (default: all)')
  .addOption(hbasOption)
  .addOption(disksOption)
  .option('--tests <regex>', 'the tests whose Suite.Test name matches (default: every test of the SCSI family)')
  .addOption(jobsOption)
  .addOption(policyOption)
  .option('--out <dir>', 'where conformance.md, conformance.json, conformance.junit.xml, logs/ and cases/ go', 'hbadiff-conformance')
  .option('--no-cases', 'do not make and replay a case of each failing or differing row')
  .option('--update-baseline', "write the table's verdicts into baselines/conformance/<version>.json instead of comparing with it")
  .action(async (options: ConformanceOptions) => {
    process.exitCode = await conformanceCommand({ ...options, out: resolve(process.env.INIT_CWD ?? process.cwd(), options.out) });
  });

const corpus = program.command('corpus').description('fuzz corpora: cases as case files, binary seeds or sg_raw scripts, and their behaviour coverage');

corpus
  .command('export')
  .description('write the cases of corpus files or directories in one format: case, binary or sg_raw')
  .argument('<source...>', 'corpus files (.json, .hbdc, .sh) or directories of them')
  .addOption(new Option('--format <format>', 'the format to write').choices(['case', 'binary', 'sg_raw']).makeOptionMandatory())
  .requiredOption('--out <dir>', 'where the files go')
  .action((sources: string[], options: { format: string; out: string }) => exportCommand(sources, options.format, options.out));

corpus
  .command('import')
  .description("read binary cases and sg_raw scripts hbadiff wrote (or case files) back into case files; or, --from libiscsi, each of libiscsi's SCSI tests' command sequences as a case")
  .argument('[source...]', 'corpus files (.json, .hbdc, .sh) or directories of them')
  .requiredOption('--out <dir>', 'where the case files go')
  .addOption(new Option('--from <suite>', "run a conformance suite in a guest and take its tests' commands instead of reading files").choices(['libiscsi']))
  .option('--tests <regex>', 'with --from libiscsi: the tests whose Suite.Test name matches (default: all of the SCSI family)')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .action((sources: string[], options: { out: string; from?: string; tests?: string; qemu?: string; accel?: AcceleratorChoice }) => {
    if (options.from === undefined) {
      if (sources.length === 0) throw new UserError('corpus import: name the files or directories to read, or --from libiscsi');
      return exportCommand(sources, 'case', options.out);
    }
    if (sources.length > 0) throw new UserError(`corpus import --from ${options.from} reads no files: drop ${sources.join(' ')}`);
    return importLibiscsiCorpus(options);
  });

corpus
  .command('stats')
  .description("a corpus directory's behaviour coverage; runs the cases not measured before in one guest")
  .argument('<dir>', 'a corpus directory')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(policyOption)
  .option('--json', 'print the counts as JSON, every value listed')
  .action((directory: string, options: Parameters<typeof statsCommand>[1]) => statsCommand(directory, options));

corpus
  .command('minimize')
  .description('copy the fewest cases of a corpus directory that keep every distinct behaviour')
  .argument('<dir>', 'a corpus directory')
  .requiredOption('--out <dir>', 'where the kept cases go')
  .addOption(qemuOption)
  .addOption(acceleratorOption)
  .addOption(policyOption)
  .action((directory: string, options: Parameters<typeof minimizeCommand>[2] & { out: string }) => minimizeCommand(directory, options.out, options));

program
  .command('frames')
  .description("mutate one HBA's frames under qtest (MFI frames, virtio-scsi chains): QEMU's crashes, hangs, stray writes and answers that change where they should not, one directory per cause with a reproducer; exit 1 when any")
  .requiredOption('--hba <hba>', 'megasas, megasas-gen2 or virtio-scsi')
  .addOption(qemuOption)
  .option('--time <seconds>', 'budget in seconds', integerOption('--time', 1), 60)
  .option('--seed <n>', 'the first fast-check seed (default: random, printed)', integerOption('--seed', 0))
  .option('--out <dir>', 'where the causes go (default: findings/frames-<hba>-<date>)')
  .action(async (options: FramesOptions) => {
    process.exitCode = await framesCommand(options);
  });

const reproducer = program
  .command('reproducer')
  .description("QEMU developers' qtest reproducers: tests/qtest C files and `cat << EOF | qemu … -qtest stdio` heredocs");

reproducer
  .command('import')
  .description('write each reproducer of QEMU qtest C files (one per test function) or heredoc files as a runnable heredoc file, <name>.qtest')
  .argument('<file...>', 'QEMU qtest C files (.c) or shell files holding `qemu … -qtest stdio` commands')
  .requiredOption('--out <dir>', 'where the .qtest files go')
  .action((files: string[], options: { out: string }) => importReproducersCommand(files, options.out));

reproducer
  .command('export')
  .description('run each case file at frame level on a fresh QEMU whose disks read zeroes and write what QEMU was sent as a runnable heredoc, <case>.qtest, replayed once to print its verdict')
  .argument('<case...>', 'case files (hbadiff-case/1) naming scsi-hd paths on HBAs with a frame driver')
  .addOption(qemuOption)
  .requiredOption('--out <dir>', 'where the .qtest files go')
  .action((files: string[], options: ExportReproducersOptions) => exportReproducersCommand(files, options));

reproducer
  .command('replay')
  .description('run each reproducer on a fresh QEMU over qtest and print its verdict: clean, crash or hang; exit 0 all clean, 1 any crash or hang, 125 QEMU would not start, 2 a file unread')
  .argument('<file...>', 'QEMU qtest C files, heredoc files or .qtest files')
  .addOption(qemuOption)
  .option('--timeout <seconds>', 'how long one line may go unanswered before QEMU counts as hung', integerOption('--timeout', 1), 10)
  .action(async (files: string[], options: ReplayReproducersOptions) => {
    process.exitCode = await replayReproducersCommand(files, options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  // commander has printed its own message (or the help) already; a usage error exits 2, as every bad input does.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const userError = environmentFaultOf(error) ?? error;
  if (userError instanceof UserError) {
    console.error(`hbadiff: ${userError.message}`);
    process.exit(userError.exitCode);
  }
  // No guest to test with: QEMU's or the console's last words are the evidence, not a stack trace.
  if (error instanceof BootTimeout || error instanceof QemuExited) {
    console.error(`hbadiff: ${error.message}`);
    process.exit(cannotTestExitCode);
  }
  console.error(error);
  process.exit(1);
});
