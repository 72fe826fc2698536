import { settlesWithin } from '../process/within';
import { describeExit } from '../qemu/machine-exit';
import { QtestClient, QtestCommandFailed } from './qtest-client';
import { QtestReproducer } from './reproducer';
import { crashEvidence, ReplayVerdict } from './replay-verdict';

export interface ReplayReproducerOptions {
  /** A QEMU with the qtest accelerator. */
  readonly qemu: string;
  /** How long one line may go unanswered before QEMU counts as hung. */
  readonly timeoutMs: number;
}

/**
 * Sent after the last line: QEMU answering it shows that it survived the work the lines left queued (bottom
 * halves, DMA completions), as libqtest's qtest_quit finds it alive. A read of guest memory changes nothing.
 */
const aliveProbe = 'readb 0x0';

type LineOutcome = 'answered' | 'refused' | 'died' | 'unanswered';

const outcomeOf = async (client: QtestClient, line: string, timeoutMs: number): Promise<LineOutcome> => {
  const reply = client.command(line).then(
    (): LineOutcome => 'answered',
    (error: unknown): LineOutcome => (error instanceof QtestCommandFailed ? 'refused' : 'died'),
  );
  return (await settlesWithin(reply, timeoutMs)) ? reply : 'unanswered';
};

/**
 * Runs `reproducer` on a fresh QEMU, its lines in order, each answered before the next: `clean` when QEMU
 * answers them all and then the probe, `crash` when it dies (its exit and the stderr line that says why),
 * `hang` when a line goes unanswered for the timeout. A QEMU that cannot start throws, as the client says.
 */
export const replayReproducer = async (reproducer: QtestReproducer, options: ReplayReproducerOptions): Promise<ReplayVerdict> => {
  const client = await QtestClient.launch({ qemu: options.qemu, args: reproducer.qemuArgs });
  try {
    let refused = 0;
    const lines = [...reproducer.lines, aliveProbe];
    for (const [index, line] of lines.entries()) {
      const outcome = await outcomeOf(client, line, options.timeoutMs);
      if (outcome === 'refused') refused += 1;
      if (outcome === 'unanswered') return { kind: 'hang', atLine: index + 1, line, timeoutMs: options.timeoutMs };
      if (outcome === 'died') {
        const exit = await client.exited;
        const evidence = crashEvidence(client.stderrTail());
        return { kind: 'crash', atLine: index + 1, exit: describeExit(exit), ...(evidence === undefined ? {} : { evidence }) };
      }
    }
    return { kind: 'clean', lines: reproducer.lines.length, refused };
  } finally {
    await client.close();
  }
};
