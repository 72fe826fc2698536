import { fc } from '@fast-check/jest';
import { defaultCasePaths } from '../../../harness/case/case-paths';
import { Case, CaseProvenance, CaseStep, StepExpectation } from '../../../harness/case/case-types';
import { maxCdbBytes } from '../../../harness/case/max-cdb-bytes';
import { HbaModel, hbaModels } from '../../../harness/qemu/hba/registry';
import { diskKinds, layoutTopology, PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';

/** Some of a topology's paths, named by layoutTopology itself so that `#N` numbering agrees. */
export const pathsArb: fc.Arbitrary<PathId[]> = fc
  .array(fc.tuple(fc.constantFrom(...(hbaModels as HbaModel[])), fc.constantFrom(...diskKinds)), {
    minLength: 1,
    maxLength: 5,
  })
  .map((pairs) =>
    layoutTopology({ hbas: pairs.map(([model, disk]) => ({ model, disks: [disk] })), diskBytes: 1 << 20 }).map(
      (layout) => layout.path,
    ),
  )
  .chain((paths) => fc.subarray(paths, { minLength: 1 }));

/** Bytes with long runs as often as not, so that `XX*N` is written and read back. */
export const bytesWithRunsArb = (maxPieces = 6): fc.Arbitrary<Buffer> =>
  fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 20 }),
        fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 40 })).map(([byte, count]) => new Uint8Array(count).fill(byte)),
      ),
      { maxLength: maxPieces },
    )
    .map((pieces) => Buffer.concat(pieces));

/** Through JSON once, as a file holds it: fc.jsonValue gives -0, which JSON writes as 0. */
const expectationArb: fc.Arbitrary<StepExpectation> = fc
  .dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })
  .map((expectation) => JSON.parse(JSON.stringify(expectation)) as StepExpectation);

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });

/** Drops undefined fields, as parseCase never sets them. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const commandStepArb = (maxCdb: number): fc.Arbitrary<CaseStep> =>
  fc
    .record({
      cdb: fc.uint8Array({ minLength: 1, maxLength: maxCdb }),
      transfer: fc.oneof(
        fc.record({ direction: fc.constantFrom('none' as const, 'from-device' as const), length: fc.nat(4096) }),
        bytesWithRunsArb().map((dataOut) => ({ direction: 'to-device' as const, length: dataOut.length, dataOut })),
      ),
      timeoutMs: optional(fc.integer({ min: 1, max: 0xffff_ffff })),
      queued: optional(fc.constant(true as const)),
      expect: optional(expectationArb),
    })
    .map(({ cdb: bytes, transfer, timeoutMs, queued, expect }) =>
      defined({ kind: 'command' as const, command: { cdb: cdb(bytes), ...transfer }, timeoutMs, queued, expect }),
    );

const resetStepArb = (paths: readonly PathId[]): fc.Arbitrary<CaseStep> =>
  fc
    .record({
      reset: fc.constantFrom('device' as const, 'target' as const, 'bus' as const, 'host' as const),
      path: optional(fc.constantFrom(...paths)),
      expect: optional(expectationArb),
    })
    .map(({ reset, path, expect }) => defined({ kind: 'reset' as const, reset, path, expect }));

const hostStepArb: fc.Arbitrary<CaseStep> = fc
  .record({
    event: fc.oneof(
      fc.constantFrom({ kind: 'pause' as const }, { kind: 'unplug' as const }, { kind: 'plug' as const }, { kind: 'snapshot' as const }),
      fc.integer({ min: 1, max: 1 << 21 }).map((blocks) => ({ kind: 'resize' as const, bytes: blocks * 512 })),
      fc.record({ kind: fc.constant('io-error' as const), io: fc.constantFrom('read' as const, 'write' as const), sector: fc.nat() }),
      fc.integer({ min: 1, max: 10_000 }).map((ms) => ({ kind: 'hold' as const, ms })),
    ),
    expect: optional(expectationArb),
  })
  .map(({ event, expect }) => defined({ kind: 'host' as const, event, expect }));

const provenanceArb: fc.Arbitrary<CaseProvenance> = fc
  .record(
    {
      seed: fc.integer(),
      fastCheckPath: fc.string(),
      qemuVersion: fc.string(),
      baselineQemuVersion: fc.string(),
      harnessVersion: fc.string(),
      signature: fc.string(),
      createdAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      note: fc.string(),
    },
    { requiredKeys: [] },
  )
  .map(defined);

const casesOf = (hostEvents: boolean): fc.Arbitrary<Case> => optional(pathsArb).chain((paths) => {
  const effectivePaths = paths ?? defaultCasePaths;
  const maxCdb = Math.min(...effectivePaths.map((path) => maxCdbBytes[path.split(':')[0] as HbaModel]));
  return fc
    .record({
      disk: optional(
        fc.record({
          bytes: fc.integer({ min: 1, max: 1 << 16 }).map((blocks) => blocks * 512),
          content: fc.constantFrom('pattern' as const, 'zero' as const),
        }),
      ),
      provenance: optional(provenanceArb),
      steps: fc.array(fc.oneof(commandStepArb(maxCdb), resetStepArb(effectivePaths), ...(hostEvents ? [hostStepArb] : [])), { minLength: 1, maxLength: 6 }),
    })
    .map(({ disk, provenance, steps }) => defined({ paths, disk, provenance, steps }));
});

/** Any case parseCase accepts, from the domain side. */
export const caseArb: fc.Arbitrary<Case> = casesOf(true);
/** Any case without host events, which a script run inside the guest (sg_raw's) cannot carry. */
export const guestSideCaseArb: fc.Arbitrary<Case> = casesOf(false);
