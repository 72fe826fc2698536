import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CampaignSummary } from '../../harness/findings/summary';

const repo = join(__dirname, '..', '..');
const shards = 2;
/** The whole campaign's cases: each shard runs its share. */
const count = 4;
const seed = 5150;

interface GitlabJob {
  readonly stage: string;
  readonly parallel?: number;
  readonly needs?: string[];
  readonly variables?: Record<string, string>;
  readonly script: string[];
  readonly artifacts?: { readonly paths?: string[]; readonly reports?: { readonly junit?: string } };
}

interface GithubStep {
  readonly uses?: string;
  readonly run?: string;
}
interface GithubJob {
  readonly needs?: string;
  readonly strategy?: { readonly matrix: { readonly shard: number[] } };
  readonly steps: GithubStep[];
}

const gitlab = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob> & { variables: Record<string, string> };
const github = parse(readFileSync(join(repo, '.github', 'workflows', 'hbadiff-campaign.yml'), 'utf8')) as {
  env: Record<string, string>;
  jobs: Record<string, GithubJob>;
};

/** A job's shell line as a runner runs it: in the checkout, with the pipeline's variables in the environment. */
const runLine = (line: string, env: Record<string, string>): { status: number | null; output: string } => {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', line], {
    cwd: repo,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

/** GitLab expands `$NAME` in a job's variables from the predefined ones. */
const expandGitlab = (variables: Record<string, string>, predefined: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, value.replace(/\$(\w+)/g, (_, key: string) => predefined[key] ?? '')]));

/** GitHub substitutes `${{ expression }}` before the shell sees the line. */
const expandGithub = (text: string, context: Record<string, string>): string =>
  text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in context)) throw new Error(`no value for \${{ ${key} }} in this spec's runner`);
    return context[key];
  });

const mergedSummary = (root: string): CampaignSummary => JSON.parse(readFileSync(join(root, 'merged', 'summary.json'), 'utf8')) as CampaignSummary;

/**
 * The CI examples in the repository, run here as their runners would with two shards: each shard's job line
 * with the engine's variables, then the last job's, whose summary, JUnit and exit code are the pipeline's result.
 */
describe('the sharded campaign on CI runners', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hbadiff-ci-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const local = () => ({ HBADIFF_CI_FINDINGS: root, HBADIFF_COUNT: String(count), HBADIFF_JOBS: '1' });

  const checkMerged = (merge: { status: number | null; output: string }) => {
    const summary = mergedSummary(root);
    expect(summary.cases).toBe(count);
    expect(summary.seed).toBe(seed);
    expect(readFileSync(join(root, 'causes.xml'), 'utf8')).toMatch(/<testsuites[^]*<testsuite name="hbadiff causes, QEMU /);
    expect(merge.output).toMatch(new RegExp(`${count} cases, \\d+ commands`));
    expect(merge.status).toBe(summary.causes.some((cause) => !cause.known) ? 1 : 0);
  };

  it('GitLab: parallel shards of one pipeline seed, then the merge whose JUnit is the report', () => {
    const campaign = gitlab['hbadiff-campaign'];
    const causes = gitlab['hbadiff-causes'];
    expect(campaign.parallel).toBeGreaterThanOrEqual(2);
    expect(causes.needs).toEqual(['hbadiff-campaign']);
    expect(causes.artifacts?.reports?.junit).toBe('findings-ci/causes.xml');
    for (let index = 1; index <= shards; index++) {
      const predefined = { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: String(shards), CI_PIPELINE_ID: String(seed) };
      const env = { ...gitlab.variables, ...predefined, ...expandGitlab(campaign.variables ?? {}, predefined), ...local() };
      for (const line of campaign.script) {
        const shard = runLine(line, env);
        expect({ line, status: shard.status, tail: shard.output.slice(-2000) }).toMatchObject({ status: 0 });
      }
      expect(existsSync(join(root, `shard-${index}`, 'summary.json'))).toBe(true);
    }
    const [line] = causes.script;
    checkMerged(runLine(line, { ...gitlab.variables, ...local() }));
  }, 600_000);

  it('GitHub Actions: a matrix of shards of one run id, then the merge', () => {
    const { campaign, causes } = github.jobs;
    expect(campaign.strategy?.matrix.shard.length).toBeGreaterThanOrEqual(2);
    expect(causes.needs).toBe('campaign');
    const shardLines = campaign.steps.filter((step) => step.run !== undefined);
    const mergeLines = causes.steps.filter((step) => step.run !== undefined);
    expect(causes.steps.some((step) => step.uses?.startsWith('actions/download-artifact'))).toBe(true);
    const runContext = { 'github.run_id': String(seed) };
    const env = Object.fromEntries(Object.entries(github.env).map(([name, value]) => [name, expandGithub(value, runContext)]));
    for (let index = 1; index <= shards; index++) {
      const context = { ...runContext, 'matrix.shard': String(index), 'strategy.job-total': String(shards) };
      for (const step of shardLines) {
        const shard = runLine(expandGithub(step.run as string, context), { ...env, ...local() });
        expect({ step: step.run, status: shard.status, tail: shard.output.slice(-2000) }).toMatchObject({ status: 0 });
      }
    }
    // download-artifact with merge-multiple puts every shard's findings-ci/ contents side by side, as the shards left them here.
    for (const step of mergeLines) checkMerged(runLine(expandGithub(step.run as string, runContext), { ...env, ...local() }));
  }, 600_000);
});
