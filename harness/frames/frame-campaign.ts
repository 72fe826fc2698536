import fc from 'fast-check';
import type { Signature } from '../findings/signature';
import { FailureKind, FrameFailure, frameFailureSignature } from './frame-failure';
import { FrameMachine, startFrameMachine } from './frame-machine';
import { RunResult, runSequence, RunTiming } from './frame-run';
import type { FrameHba } from './mutation-target';

/** One cause found: the shrunk sequence that shows it on a fresh QEMU, and everything that QEMU was sent. */
export interface FrameFinding<M> {
  readonly signature: Signature;
  readonly failure: FrameFailure;
  readonly sequence: readonly M[];
  readonly transcript: readonly string[];
  /** The seed of the fast-check run that found it. */
  readonly seed: number;
  /** Shrinking candidates that kept the cause, on a fresh QEMU each. */
  readonly shrinkSteps: number;
}

export interface FrameCampaignStats {
  readonly elapsedMs: number;
  readonly runs: number;
  readonly frames: number;
  readonly noCompletion: number;
  /** Guards written where a frame asked for it (not findings). */
  readonly writesWhereAsked: number;
  /** Runs that failed on the shared QEMU, by kind (before confirmation). */
  readonly failures: Readonly<Record<FailureKind, number>>;
  /** Failures a fresh QEMU did not show: they needed what earlier runs left behind. */
  readonly unconfirmed: number;
  /** Runs on fresh QEMUs: confirming failures and trying shrinking candidates. */
  readonly freshRuns: number;
}

export interface FrameCampaignOptions<M> {
  readonly hba: FrameHba<M>;
  readonly qemu: string;
  readonly seconds: number;
  readonly seed: number;
  readonly timing: RunTiming;
  /** How long one failure may be shrunk (each candidate on a fresh QEMU). */
  readonly shrinkMs: number;
  readonly onFinding?: (finding: FrameFinding<M>) => void | Promise<void>;
  readonly onProgress?: (stats: FrameCampaignStats, findings: number) => void;
  readonly progressEveryMs?: number;
}

/** One to four frames on one QEMU. */
export const frameSequenceArbitrary = <M>(hba: FrameHba<M>): fc.Arbitrary<M[]> => fc.array(hba.mutation, { minLength: 1, maxLength: 4 });

interface Confirmed {
  readonly result: RunResult;
  readonly transcript: readonly string[];
}

/**
 * A frame campaign on one HBA: fast-check draws sequences of mutated frames from the seed and runs them on one
 * QEMU after another (a fresh one once a run spent it); a failure is run again on a fresh QEMU that records
 * its transcript, and counts only if it shows again with a cause not yet found; fast-check then shrinks it, each
 * candidate on a fresh QEMU, keeping those that show the same cause. Each fast-check run ends at its first new
 * cause, and the next starts from the next seed, until the time is up.
 */
export const runFrameCampaign = async <M>(options: FrameCampaignOptions<M>): Promise<{ stats: FrameCampaignStats; findings: FrameFinding<M>[] }> => {
  const { hba, timing } = options;
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const failures: Record<FailureKind, number> = { crash: 0, hang: 0, 'stray-write': 0, divergence: 0 };
  const counts = { runs: 0, frames: 0, noCompletion: 0, writesWhereAsked: 0, unconfirmed: 0, freshRuns: 0 };
  const findings: FrameFinding<M>[] = [];
  const known = new Set<string>();
  const stats = (): FrameCampaignStats => ({ elapsedMs: Date.now() - started, ...counts, failures: { ...failures } });
  let shared: FrameMachine<M> | undefined;
  let lastProgress = started;

  const onFresh = async (sequence: readonly M[]): Promise<Confirmed> => {
    counts.freshRuns++;
    const fresh = await startFrameMachine(hba, options.qemu, timing.frameTimeoutMs, true);
    try {
      const result = await runSequence(hba, fresh, sequence, timing);
      return { result, transcript: [...(fresh.machine.qtest.transcript ?? [])] };
    } finally {
      await fresh.machine.stop();
    }
  };

  const onShared = async (sequence: readonly M[]): Promise<RunResult> => {
    shared ??= await startFrameMachine(hba, options.qemu, timing.frameTimeoutMs, false);
    const result = await runSequence(hba, shared, sequence, timing);
    counts.runs++;
    counts.frames += result.frames;
    counts.noCompletion += result.noCompletion;
    counts.writesWhereAsked += result.writesWhereAsked;
    if (result.failure) failures[result.failure.kind]++;
    if (result.spent) {
      await shared.machine.stop();
      shared = undefined;
    }
    const now = Date.now();
    if (options.onProgress && now - lastProgress >= (options.progressEveryMs ?? 5_000)) {
      lastProgress = now;
      options.onProgress(stats(), findings.length);
    }
    return result;
  };

  for (let seed = options.seed; Date.now() < deadline; seed++) {
    let best: { signature: Signature; sequence: readonly M[]; confirmed: Confirmed; shrinkSteps: number } | undefined;
    let shrinkDeadline = 0;
    let inFlight: Promise<unknown> = Promise.resolve();
    const predicate = async (sequence: M[]): Promise<boolean> => {
      if (best) {
        if (Date.now() >= shrinkDeadline) return true;
        const confirmed = await onFresh(sequence);
        const failure = confirmed.result.failure;
        if (!failure || frameFailureSignature(hba.model, failure).id !== best.signature.id) return true;
        best = { ...best, sequence, confirmed, shrinkSteps: best.shrinkSteps + 1 };
        return false;
      }
      if (Date.now() >= deadline) return true;
      const { failure } = await onShared(sequence);
      if (!failure) return true;
      const confirmed = await onFresh(sequence);
      const again = confirmed.result.failure;
      if (!again) {
        counts.unconfirmed++;
        return true;
      }
      const found = frameFailureSignature(hba.model, again);
      if (known.has(found.id)) return true;
      best = { signature: found, sequence, confirmed, shrinkSteps: 0 };
      shrinkDeadline = Date.now() + options.shrinkMs;
      return false;
    };
    // A harness error (QEMU would not start, a bug) ends the campaign: fast-check would take it for a failure to shrink.
    let fatal: unknown;
    const property = fc.asyncProperty(frameSequenceArbitrary(hba), (sequence) => {
      // fast-check stops waiting for a predicate at its time limit, but the QEMU it drives must not be shared by two.
      const run = inFlight.then(() => (fatal === undefined ? predicate(sequence) : true));
      inFlight = run.catch((error: unknown) => {
        fatal ??= error;
      });
      return run;
    });
    await fc.check(property, { seed, numRuns: 2 ** 31 - 1, plugins: [fc.interruptAfterTimeLimit(Math.max(1, deadline - Date.now()))] });
    await inFlight;
    if (fatal !== undefined) {
      await shared?.machine.stop();
      throw fatal;
    }
    if (!best) continue;
    known.add(best.signature.id);
    const failure = best.confirmed.result.failure as FrameFailure;
    // A run stops at its failure: frames after it were never sent, and neither the transcript nor the cause has them.
    const sequence = best.sequence.slice(0, failure.frame + 1);
    const finding: FrameFinding<M> = { signature: best.signature, failure, sequence, transcript: best.confirmed.transcript, seed, shrinkSteps: best.shrinkSteps };
    findings.push(finding);
    await options.onFinding?.(finding);
  }
  await shared?.machine.stop();
  return { stats: stats(), findings };
};
