import { Finding } from './finding';
import { CommandOutcome, StepOutcome } from '../execute/step-outcome';
import { cdbToHex } from '../scsi/cdb';
import { describeOutcome, transferredBytes } from '../scsi/outcome';
import { PathId } from '../qemu/topology';
import { describeHostEvent } from '../case/host-event';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const describeStep = (outcome: StepOutcome | undefined): string => {
  if (!outcome) return '(not reached)';
  if (outcome.kind === 'reset') return outcome.skipped ? 'reset aimed elsewhere' : `reset, ${outcome.delivery.completion}`;
  if (outcome.kind === 'host') return outcome.skipped ? `not carried out: ${outcome.delivery.problem ?? outcome.delivery.completion}` : outcome.delivery.completion;
  return describeCommand(outcome);
};

const describeCommand = (outcome: CommandOutcome): string => {
  const parts = [describeOutcome(outcome), `residual ${outcome.residual}`];
  if (outcome.command.direction === 'from-device') {
    parts.push(`${transferredBytes(outcome, outcome.command.length)} bytes in, digest ${outcome.dataDigest.toString(16).padStart(16, '0')}`);
  }
  const warnings = outcome.log.filter((record) => record.level <= 4);
  if (warnings.length > 0) parts.push(`kernel: ${warnings.map((record) => record.text).join(' / ')}`);
  if (outcome.branches.length > 0) parts.push(`QEMU: ${outcome.branches.map((branch) => branch.name).join(', ')}`);
  return parts.join('; ');
};

/**
 * The Markdown a QEMU developer reads first: what was sent, and what each path answered, side by side; for a
 * departure from the model, the model's answer first and every path's beside it, so it shows whether all agree.
 */
export const findingReport = (finding: Finding): string => {
  const { divergence, run } = finding;
  const model = divergence.model;
  const paths: PathId[] = run.runs.map((pathRun) => pathRun.path).filter((path) => model !== undefined || divergence.paths.includes(path));
  const columns = [...(model ? ['model'] : []), ...paths];
  const header = `| step | sent | ${columns.join(' | ')} |\n|---|---|${columns.map(() => '---|').join('')}`;
  const rows = finding.case.steps.map((step, index) => {
    const sent =
      step.kind === 'reset'
        ? `reset ${step.reset}`
        : step.kind === 'host'
          ? `host: ${describeHostEvent(step.event)}`
          : `\`${cdbToHex(step.command.cdb)}\` ${step.command.direction}, ${step.command.length} bytes`;
    const answers = paths.map((path) => cell(describeStep(run.runs.find((pathRun) => pathRun.path === path)?.outcomes[index])));
    const modelAnswer = model ? [cell(model.answers[index] ?? '')] : [];
    return `| ${index}${index === divergence.step ? ' ⟵' : ''} | ${cell(sent)} | ${[...modelAnswer, ...answers].join(' | ')} |`;
  });
  const departing = divergence.paths.join(', ');
  const values = model
    ? [`- model: ${divergence.values[0]}`, `- ${departing}: ${divergence.values[1]}`]
    : divergence.paths.map((path, index) => `- ${path}: ${divergence.values[index] ?? divergence.values[0]}`);
  const summary = model
    ? `${departing} ${divergence.paths.length === 1 ? 'departs' : 'depart alike'} from the reference model (requirement \`${model.requirement}\`) in **${divergence.field}** at step ${divergence.step}.`
    : `the paths differ in **${divergence.field}** at step ${divergence.step}${run.failure?.kind === 'target' ? ': the target behind them failed' : ''}.`;
  return [
    `# ${finding.signature.text}`,
    '',
    `Cause \`${finding.signature.id}\`: ${summary}`,
    '',
    ...(finding.signature.location ? [`Where: ${finding.signature.location}.`, ''] : []),
    ...values,
    '',
    header,
    ...rows,
    '',
    ...(run.failure ? [`## What ${run.failure.kind === 'target' ? 'the target' : 'QEMU and the guest'} said last`, '', '```', run.failure.detail, '```', ''] : []),
    'Replay: `hbadiff replay case.json` (in this directory).',
    '',
  ].join('\n');
};
