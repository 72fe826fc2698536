import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Baseline } from '../../harness/baseline/baseline';
import { loadBaselineFor } from '../../harness/baseline/load-baseline';
import { locateQemu, probeQemu } from '../../harness/qemu/binary';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');
const caseFile = join(__dirname, '..', 'fixtures', 'cases', 'five-commands.json');

interface ReplayReport {
  readonly cases: readonly {
    readonly divergences: readonly { readonly model?: object }[];
    readonly signatures: readonly { readonly id: string; readonly text: string; readonly seenThrough: readonly { scope: string }[] }[];
  }[];
}

/**
 * A case as a QEMU developer writes one by hand, replayed with no flag: the reference model judges it as a
 * campaign would, and each cause is reported once however many commands and pairs of paths show it.
 */
describe('a hand-written case of five commands on the default paths', () => {
  let baseline: Baseline;

  beforeAll(async () => {
    baseline = await loadBaselineFor((await probeQemu(locateQemu(undefined))).version);
  });

  it('is one finding per cause, each one the baseline knows, megasas refusing bufferless frames once for three commands', () => {
    const replay = spawnSync(hbadiff, ['replay', '--json', caseFile], { encoding: 'utf8', timeout: 300_000 });
    expect(replay.status).toBe(1);
    const [report] = (JSON.parse(replay.stdout) as ReplayReport).cases;
    const causes = report.signatures;
    expect(report.divergences.some((divergence) => divergence.model !== undefined)).toBe(true);
    expect(new Set(causes.map((cause) => cause.id)).size).toBe(causes.length);
    const refused = causes.filter((cause) => cause.text.includes('via megasas_iovec_sgl_overflow'));
    expect(refused).toHaveLength(1);
    expect(new Set(refused[0].seenThrough.map((each) => each.scope))).toEqual(new Set(['00', '16', 'unknown']));
    const known = new Set(baseline.entries.map((entry) => entry.signature));
    expect(causes.filter((cause) => !known.has(cause.id)).map((cause) => cause.text)).toEqual([]);
    process.stdout.write(`five commands: ${causes.length} causes: ${causes.map((cause) => cause.text).join('; ')}\n`);
  }, 300_000);
});
