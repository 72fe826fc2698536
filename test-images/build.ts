import { Command, type CommanderError, Option } from 'commander';
import path from 'node:path';
import { type BuildOptions, buildImage } from './build-image';
import { BuildFailure } from './errors';
import { logStep } from './log';
import type { UserInput } from './user-kernel';

const usageErrorStatus = 2;

function main(): void {
  const program = new Command()
    .name('npm run images --')
    .description('Builds the guest image (kernel and initramfs) into test-images/out/<key>/, unless it is built already.')
    .option('--profile <name>', 'guest profile: guests/profiles/<name>.json', 'default')
    .addOption(
      new Option('--kernel <path>', "a kernel you built, bzImage or PVH ELF vmlinux, instead of Debian's").env('HBADIFF_KERNEL'),
    )
    .addOption(new Option('--modules <dir>', 'its modules directory, like /lib/modules/<release>').env('HBADIFF_MODULES'))
    .exitOverride();
  try {
    program.parse();
  } catch (error) {
    const { exitCode } = error as CommanderError;
    process.exit(exitCode === 0 ? 0 : usageErrorStatus);
  }
  const started = process.hrtime.bigint();
  try {
    const image = buildImage({ profile: program.opts<{ profile: string }>().profile, userKernel: userKernel(program) });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    logStep(`image: ${path.dirname(image.initrd)} (${seconds.toFixed(2)} s)`);
  } catch (error) {
    if (error instanceof BuildFailure) fail(error);
    throw error;
  }
}

function userKernel(program: Command): BuildOptions['userKernel'] {
  const kernel = userInput(program, 'kernel', 'HBADIFF_KERNEL');
  const modules = userInput(program, 'modules', 'HBADIFF_MODULES');
  if ((kernel === undefined) !== (modules === undefined)) {
    throw new BuildFailure('--kernel and --modules (or HBADIFF_KERNEL and HBADIFF_MODULES) go together', usageErrorStatus);
  }
  return kernel && modules ? { kernel, modules } : undefined;
}

function userInput(program: Command, option: string, envVariable: string): UserInput | undefined {
  const value = program.getOptionValue(option) as string | undefined;
  if (value === undefined) return undefined;
  return {
    // npm runs scripts from the package's root, but the user means paths from where they ran npm.
    path: path.resolve(process.env.INIT_CWD ?? process.cwd(), value),
    name: program.getOptionValueSource(option) === 'env' ? envVariable : `--${option}`,
  };
}

function fail(failure: BuildFailure): never {
  process.stderr.write(`images: ${failure.message}\n`);
  process.exit(failure.exitCode);
}

main();
