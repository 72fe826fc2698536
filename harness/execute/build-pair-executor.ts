import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { Build, onBuild } from './build';
import { CaseRun, PathRun, RunFailure } from './case-run';
import { Executor } from './executor';

const tagged = (run: CaseRun, build: Build): PathRun[] => run.runs.map((pathRun) => ({ ...pathRun, path: onBuild(pathRun.path, build) }));

/** A failure of either build, or of both, naming the paths that went down with it and the build they ran on. */
const failureOf = (baseline: CaseRun, patched: CaseRun): RunFailure | undefined => {
  const failed = [
    { build: 'baseline' as const, run: baseline },
    { build: 'patched' as const, run: patched },
  ].filter(({ run }) => run.failure);
  if (failed.length === 0) return undefined;
  const first = failed.reduce((earliest, each) => ((each.run.failure?.step ?? 0) < (earliest.run.failure?.step ?? 0) ? each : earliest));
  return {
    kind: first.run.failure!.kind,
    step: first.run.failure!.step,
    detail: failed.map(({ build, run }) => `${build} build: ${run.failure!.detail}`).join('\n'),
    paths: failed.flatMap(({ build, run }) => run.runs.map((pathRun) => onBuild(pathRun.path, build))),
  };
};

/**
 * One case on every path of two QEMU builds at once, each in its own guest: the patched build and the
 * baseline it is compared with. Its runs carry each path twice, tagged with the build, and the comparison
 * pairs each path with itself on the other build.
 */
export class BuildPairExecutor implements Executor {
  constructor(
    private readonly baseline: Executor,
    private readonly patched: Executor,
  ) {}

  get paths(): readonly PathId[] {
    return this.patched.paths;
  }

  get qemuVersion(): string {
    return this.patched.qemuVersion;
  }

  get baselineQemuVersion(): string {
    return this.baseline.qemuVersion;
  }

  async run(testCase: Case): Promise<CaseRun> {
    const [baseline, patched] = await Promise.all([this.baseline.run(testCase), this.patched.run(testCase)]);
    return {
      case: testCase,
      initialContent: patched.initialContent,
      runs: [...tagged(baseline, 'baseline'), ...tagged(patched, 'patched')],
      failure: failureOf(baseline, patched),
    };
  }
}
