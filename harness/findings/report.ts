import { Finding } from './finding';
import { CommandOutcome, StepOutcome } from '../execute/step-outcome';
import { cdbToHex } from '../scsi/cdb';
import { describeOutcome, transferredBytes } from '../scsi/outcome';
import { PathId } from '../qemu/topology';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const describeStep = (outcome: StepOutcome | undefined): string => {
  if (!outcome) return '(not reached)';
  if (outcome.kind === 'reset') return outcome.skipped ? 'reset aimed elsewhere' : `reset, errno ${outcome.errno}`;
  return describeCommand(outcome);
};

const describeCommand = (outcome: CommandOutcome): string => {
  const parts = [describeOutcome(outcome), `residual ${outcome.residual}`];
  if (outcome.command.direction === 'from-device') {
    parts.push(`${transferredBytes(outcome, outcome.command.length)} bytes in, digest ${outcome.dataDigest.toString(16).padStart(16, '0')}`);
  }
  const warnings = outcome.kernelLog.filter((record) => record.level <= 4);
  if (warnings.length > 0) parts.push(`kernel: ${warnings.map((record) => record.text).join(' / ')}`);
  return parts.join('; ');
};

/** The Markdown a QEMU developer reads first: what was sent, and what each path answered, side by side. */
export const findingReport = (finding: Finding): string => {
  const { divergence, run } = finding;
  const paths: PathId[] = run.runs.map((pathRun) => pathRun.path).filter((path) => divergence.paths.includes(path));
  const header = `| step | sent | ${paths.join(' | ')} |\n|---|---|${paths.map(() => '---|').join('')}`;
  const rows = finding.case.steps.map((step, index) => {
    const sent =
      step.kind === 'reset'
        ? `reset ${step.reset}`
        : `\`${cdbToHex(step.command.cdb)}\` ${step.command.direction}, ${step.command.length} bytes`;
    const answers = paths.map((path) => cell(describeStep(run.runs.find((pathRun) => pathRun.path === path)?.outcomes[index])));
    return `| ${index}${index === divergence.step ? ' ⟵' : ''} | ${cell(sent)} | ${answers.join(' | ')} |`;
  });
  const values = divergence.paths.map((path, index) => `- ${path}: ${divergence.values[index] ?? divergence.values[0]}`);
  return [
    `# ${finding.signature.text}`,
    '',
    `Signature \`${finding.signature.id}\`: the paths differ in **${divergence.field}** at step ${divergence.step}.`,
    '',
    ...values,
    '',
    header,
    ...rows,
    '',
    ...(run.failure ? ['## What QEMU and the guest said last', '', '```', run.failure.detail, '```', ''] : []),
    'Replay: `hbadiff replay case.json` (in this directory).',
    '',
  ].join('\n');
};
