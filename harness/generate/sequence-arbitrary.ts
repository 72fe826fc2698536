import fc from 'fast-check';
import { CaseStep, HostEvent } from '../case/case-types';
import { resetKinds } from '../scsi/reset-kind';
import { commandArbitrary } from './command-arbitrary';
import { DiskGeometry } from './disk-geometry';

/**
 * What a campaign draws beside single commands and resets (issue 19), all off by default so that a seed
 * draws the same case it always has: groups of up to `queueDepth` queued commands (1: none), and host events.
 */
export interface SequenceOptions {
  readonly queueDepth: number;
  readonly hostEvents: boolean;
  /**
   * Whether QEMU holds every disk of the paths itself (no passed-through LUN): only then are a resize, an
   * I/O error, a snapshot and a hold drawn, which a LUN does not take and whose every later answer would differ by design.
   */
  readonly qemuHoldsEveryDisk: boolean;
}

export const plainSequences: SequenceOptions = { queueDepth: 1, hostEvents: false, qemuHoldsEveryDisk: false };

/**
 * A hold of the disks' requests with the commands it holds right after it: one, or a group of up to
 * `queueDepth`, each with a guest timeout shorter than the hold (the guest driver's error handling meets
 * a command QEMU still holds) or longer (it only waits).
 */
const heldCommands = (geometry: DiskGeometry, queueDepth: number): fc.Arbitrary<CaseStep[]> =>
  fc
    .record({
      ms: fc.constantFrom(1_000, 3_000),
      timeoutMs: fc.constantFrom(500, 10_000),
      commands: fc.array(commandArbitrary(geometry), { minLength: 1, maxLength: queueDepth }),
    })
    .map(({ ms, timeoutMs, commands }) => [
      { kind: 'host', event: { kind: 'hold', ms } },
      ...commands.map((command): CaseStep => ({ kind: 'command', command, timeoutMs, ...(commands.length > 1 && { queued: true as const }) })),
    ]);

/** A host event, as one step or (an unplug) with the plug that brings the disk back right after it. */
const hostEventSteps = (geometry: DiskGeometry, options: SequenceOptions): fc.Arbitrary<CaseStep[]> => {
  const host = (event: HostEvent): CaseStep => ({ kind: 'host', event });
  const sectors = (geometry.blocks * geometry.blockBytes) / 512;
  const events: fc.Arbitrary<CaseStep[]>[] = [
    fc.constant([host({ kind: 'pause' })]),
    fc.constant([host({ kind: 'unplug' }), host({ kind: 'plug' })]),
  ];
  if (options.qemuHoldsEveryDisk) {
    events.push(
      fc.constantFrom(sectors / 2, sectors - 1, sectors + 1, sectors * 2).map((count) => [host({ kind: 'resize', bytes: count * 512 })]),
      fc.constant([host({ kind: 'snapshot' })]),
      fc.record({ io: fc.constantFrom('read' as const, 'write' as const), sector: fc.oneof(fc.nat(64), fc.nat(sectors - 1)) }).map(({ io, sector }) => [host({ kind: 'io-error', io, sector })]),
      heldCommands(geometry, options.queueDepth),
    );
  }
  return fc.oneof(...events);
};

/**
 * A short sequence of steps: mostly commands, now and then a reset, whose unit attentions the commands
 * after it meet. Resets are rare because a host reset is slow: megaraid_sas's holds the ioctl for the guest
 * kernel's 10 s settle, as long as a few hundred cases. Short, because a divergence is easier to read in few steps.
 */
export const sequenceArbitrary = (geometry: DiskGeometry, maxSteps = 6, options: SequenceOptions = plainSequences): fc.Arbitrary<CaseStep[]> => {
  const command = commandArbitrary(geometry).map((each): CaseStep => ({ kind: 'command', command: each }));
  const pieces: fc.WeightedArbitrary<CaseStep[]>[] = [
    { weight: 30, arbitrary: command.map((step) => [step]) },
    { weight: 1, arbitrary: fc.constantFrom(...resetKinds).map((reset): CaseStep[] => [{ kind: 'reset', reset }]) },
  ];
  if (options.queueDepth > 1) {
    const group = fc.array(commandArbitrary(geometry), { minLength: 2, maxLength: options.queueDepth });
    pieces.push({ weight: 6, arbitrary: group.map((commands) => commands.map((each): CaseStep => ({ kind: 'command', command: each, queued: true }))) });
  }
  if (options.hostEvents) pieces.push({ weight: 3, arbitrary: hostEventSteps(geometry, options) });
  // Without groups and host events every piece is one step, drawn as before: a seed gives the case it always gave.
  return fc.array(fc.oneof(...pieces), { minLength: 1, maxLength: maxSteps }).map((parts) => parts.flat());
};
