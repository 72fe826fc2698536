import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Case } from '../case/case-types';
import { loadCase } from '../case/load-case';
import { serializeCase } from '../case/serialize-case';
import { GuestExecutors } from '../campaign/guest-executors';
import { defaultPolicyFile, loadPolicy } from '../diff/load-policy';
import { runJudge } from '../diff/run-judge';
import { modelOracles } from '../model/model-judge';
import { cannotTestExitCode, UserError } from '../errors/user-error';
import { RestartingExecutor } from '../execute/restarting-executor';
import { SignedDivergence } from '../findings/signature';
import { causesOf } from '../findings/causes';
import { BootTimeout, QemuExited } from '../qemu/machine-exit';
import { AcceleratorChoice } from '../session/accelerator';
import { topologyFor } from '../session/case-topology';
import { shrinkFinding, uniformShrinkBudget } from '../shrink/shrink-finding';
import { stopOnSignals } from './stop-on-signals';

export interface ShrinkOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly policy?: string;
  readonly signature?: string;
  readonly attempts: number;
  /** commander's name for `--no-model`: judge against the reference model of the disk too, as a campaign does. */
  readonly model: boolean;
}

/** `x.json` → `x.shrunk.json`, beside it. */
export const shrunkFileOf = (file: string): string => join(dirname(file), `${basename(file).replace(/\.json$/, '')}.shrunk.json`);

/** The divergence to keep: the one `--signature` names (id or text), else the one the case was found for, else the first. */
const chooseTarget = (found: readonly SignedDivergence[], wanted: string | undefined, testCase: Case, file: string): SignedDivergence => {
  const named = (name: string) => found.find(({ signature }) => signature.id === name || signature.text === name);
  if (wanted !== undefined) {
    const target = named(wanted);
    if (!target) throw new UserError(`${file}: --signature ${wanted} is not among what it shows: ${found.map(({ signature }) => signature.text).join('; ')}`, 1);
    return target;
  }
  return (testCase.provenance?.signature && named(testCase.provenance.signature)) || found[0];
};

const openExecutor = async (executors: GuestExecutors): Promise<RestartingExecutor> => {
  try {
    return await RestartingExecutor.open(executors);
  } catch (error) {
    if (error instanceof BootTimeout || error instanceof QemuExited) throw new UserError(`cannot test: ${error.message.split('\n')[0]}`, cannotTestExitCode);
    throw error;
  }
};

/**
 * `hbadiff shrink CASE`: runs the case, picks the divergence to keep, and reduces the case to the fewest
 * steps and paths and the smallest CDBs and buffers that still show the same signature; writes it beside
 * the input as `<name>.shrunk.json`. Exit 0 when written, 1 when the case shows no divergence at all.
 */
export const shrinkCommand = async (file: string, options: ShrinkOptions): Promise<number> => {
  const testCase = await loadCase(file);
  const judge = runJudge(loadPolicy(options.policy ?? defaultPolicyFile), modelOracles(options.model));
  const executors = new GuestExecutors({ topology: topologyFor(testCase), qemu: options.qemu, accelerator: options.accel });
  stopOnSignals(() => executors.close());
  try {
    const executor = await openExecutor(executors);
    const paths = testCase.paths ?? executor.paths;
    const run = await executor.run({ ...testCase, paths });
    const found = causesOf(judge(run), run);
    if (found.length === 0) {
      console.log(`${file}: every path agrees; nothing to shrink`);
      return 1;
    }
    const target = chooseTarget(found, options.signature, testCase, file);
    const shrunk = await shrinkFinding(executor, judge, target.signature, { run, divergence: target.divergence }, uniformShrinkBudget(options.attempts));
    const output = shrunkFileOf(file);
    const provenance = { ...testCase.provenance, signature: target.signature.text, qemuVersion: executor.qemuVersion };
    writeFileSync(output, serializeCase({ ...shrunk.case, provenance }));
    console.log(
      `${file}: ${target.signature.id} ${target.signature.text}\n` +
        `  ${testCase.steps.length} step(s) on ${paths.length} path(s) -> ${shrunk.case.steps.length} step(s) on ${shrunk.case.paths?.length} path(s); ` +
        `${shrunk.attempts} run(s), ${shrunk.accepted} accepted\n  written to ${output}`,
    );
    return 0;
  } finally {
    await executors.close();
  }
};
