import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeCase } from '../case/serialize-case';
import { CaseRun } from '../execute/case-run';
import { Finding } from './finding';
import { findingReport } from './report';

/**
 * A findings directory: one sub-directory per signature with the case file and the report, and a JSONL log
 * of every command run. Everything is written when it is found, never only at the end, so that whatever
 * stops the campaign, what it found is on disk.
 */
export class FindingsStore {
  private readonly known = new Set<string>();

  constructor(readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  has(signatureId: string): boolean {
    return this.known.has(signatureId) || existsSync(join(this.directory, signatureId, 'case.json'));
  }

  add(finding: Finding): void {
    const dir = join(this.directory, finding.signature.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'case.json'), serializeCase(finding.case));
    writeFileSync(join(dir, 'report.md'), findingReport(finding));
    writeFileSync(join(dir, 'cause.json'), `${JSON.stringify(finding.signature, null, 2)}\n`);
    this.known.add(finding.signature.id);
  }

  /** One line per command per path: what was sent and the answer's fields, for grep and for later analysis. */
  log(run: CaseRun, caseNumber: number): void {
    const lines = run.runs.flatMap((pathRun) =>
      pathRun.outcomes.map((outcome, step) =>
        JSON.stringify({
          case: caseNumber,
          step,
          path: pathRun.path,
          ...(outcome.kind !== 'command'
            ? { [outcome.kind]: outcome.skipped ? 'skipped' : outcome.delivery.completion }
            : {
                cdb: outcome.command.cdb.toString('hex'),
                dir: outcome.command.direction,
                length: outcome.command.length,
                delivery: outcome.delivery.completion,
                status: outcome.status,
                ...outcome.transport,
                sense: outcome.sense.toString('hex'),
                residual: outcome.residual,
                dataDigest: outcome.dataDigest.toString(16),
                durationNs: Number(outcome.durationNs),
                log: outcome.log.map((record) => `<${record.level}> ${record.text}`),
                branches: outcome.branches.map((branch) => branch.name),
              }),
        }),
      ),
    );
    if (lines.length > 0) appendFileSync(join(this.directory, 'commands.jsonl'), `${lines.join('\n')}\n`);
  }
}
