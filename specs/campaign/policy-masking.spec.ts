import { Case } from '../../harness/case/case-types';
import { Cdb } from '../../harness/scsi/cdb';
import { compareRuns } from '../../harness/diff/compare-runs';
import { Divergence } from '../../harness/diff/divergence';
import { parsePolicy } from '../../harness/diff/load-policy';
import { emptyPolicy, Policy, PolicyRule } from '../../harness/diff/policy';
import { GuestExecutor } from '../../harness/execute/guest-executor';
import { Topology } from '../../harness/qemu/topology';
import { inquiry, testUnitReady } from '../../harness/scsi/opcodes';
import { GuestSession } from '../../harness/session/guest-session';

const policyOf = (...rules: Omit<PolicyRule, 'between' | 'reason'>[]): Policy =>
  parsePolicy(
    JSON.stringify({
      format: 'hbadiff-policy/1',
      rules: rules.map((rule) => ({ ...rule, between: ['virtio-scsi:scsi-hd', 'virtio-scsi:scsi-hd'], reason: 'made on purpose by this spec' })),
    }),
    'policy-masking.spec.ts',
  );

/** The vendor identification, and nothing else, of standard INQUIRY data. */
const vendorRule = { id: 'vendor', opcode: '12', page: 'standard', field: 'data', bytes: [[8, 16]] } as const;
/** All of INQUIRY's data, every page. */
const allInquiryData = { id: 'inquiry-data', opcode: '12', field: 'data' } as const;

/** A TEST UNIT READY first, so the power-on unit attention is behind both paths before the step that counts. */
const caseOf = (cdb: Cdb, length: number): Case => ({
  steps: [
    { kind: 'command', command: { cdb: testUnitReady(), direction: 'none', length: 0 } },
    { kind: 'command', command: { cdb, direction: 'from-device', length } },
  ],
});

const standardInquiry = caseOf(inquiry({ allocationLength: 36 }), 36);
const serialPage = caseOf(inquiry({ evpd: true, pageCode: 0x80, allocationLength: 252 }), 252);

const fieldsAt = (divergences: readonly Divergence[], step: number): string[] =>
  divergences.filter((divergence) => divergence.step === step).map((divergence) => divergence.field);

/**
 * A policy masks exactly what its rule names, on a real QEMU: two identical paths made to differ on purpose
 * by scsi-hd's own properties. The second disk says it is from another vendor (standard INQUIRY bytes 8-15);
 * only the first has a serial number, so the second fails INQUIRY's unit serial number page (80h).
 */
describe('a policy rule on a real guest', () => {
  const topology: Topology = {
    hbas: [
      { model: 'virtio-scsi', disks: [{ kind: 'scsi-hd', properties: { serial: 'HBADIFF-0001' } }] },
      { model: 'virtio-scsi', disks: [{ kind: 'scsi-hd', properties: { vendor: 'HBADIFF' } }] },
    ],
    diskBytes: 1024 * 1024,
  };
  let session: GuestSession;
  let executor: GuestExecutor;

  beforeAll(async () => {
    session = await GuestSession.start({ topology });
    executor = new GuestExecutor(session);
  }, 120_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('shows the vendor difference without a policy, and masks it with a rule on those bytes', async () => {
    const run = await executor.run(standardInquiry);
    const [first, second] = run.runs.map((pathRun) => pathRun.outcomes[1]);
    expect(first?.kind === 'command' && first.dataIn?.subarray(8, 16).toString('latin1')).toBe('QEMU    ');
    expect(second?.kind === 'command' && second.dataIn?.subarray(8, 16).toString('latin1')).toBe('HBADIFF ');

    const unmasked = compareRuns(run, emptyPolicy);
    expect(fieldsAt(unmasked, 1)).toEqual(['data']);
    expect(unmasked[0]?.paths).toEqual(['virtio-scsi:scsi-hd', 'virtio-scsi:scsi-hd#2']);
    expect(compareRuns(run, policyOf(vendorRule))).toEqual([]);
  });

  it('does not let a data rule mask a status or sense difference of the same opcode', async () => {
    const run = await executor.run(serialPage);
    const outcomes = run.runs.map((pathRun) => pathRun.outcomes[1]);
    expect(outcomes.map((outcome) => outcome?.kind === 'command' && outcome.status)).toEqual([0, 2]);

    expect(fieldsAt(compareRuns(run, emptyPolicy), 1)).toEqual(expect.arrayContaining(['status', 'sense']));
    for (const policy of [policyOf(vendorRule), policyOf(allInquiryData), policyOf(vendorRule, allInquiryData)]) {
      const divergences = compareRuns(run, policy);
      expect(fieldsAt(divergences, 1)).toEqual(expect.arrayContaining(['status', 'sense']));
      const status = divergences.find((divergence) => divergence.field === 'status');
      expect(status?.values).toEqual(['GOOD', 'CHECK CONDITION']);
    }
    // The rule for all of INQUIRY's data does mask this page's data.
    expect(fieldsAt(compareRuns(run, policyOf(allInquiryData)), 1)).not.toContain('data');
  });
});
