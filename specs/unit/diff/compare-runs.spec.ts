import { viaSgIo } from '../sg-io-outcome';
import { CaseRun, PathRun } from '../../../harness/execute/case-run';
import { CommandOutcome } from '../../../harness/execute/step-outcome';
import { compareRuns } from '../../../harness/diff/compare-runs';
import { parsePolicy } from '../../../harness/diff/load-policy';
import { emptyPolicy } from '../../../harness/diff/policy';
import { failureSignature, pairSignature } from '../../../harness/findings/signature';
import { PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';
import { UserError } from '../../../harness/errors/user-error';

/**
 * The comparison on hand-made runs: which differences it reports, which the policy masks, and what the
 * signatures say. (Real runs are compared in the guest specs; here every branch is reached on purpose.)
 */
const inquiryData = (vendor: string): Buffer => {
  const data = Buffer.alloc(36, 0x20);
  data[0] = 0;
  data[2] = 5;
  data.write(vendor.padEnd(8), 8, 'latin1');
  data.write('DISK'.padEnd(16), 16, 'latin1');
  return data;
};

const answer = (overrides: Partial<CommandOutcome> = {}): CommandOutcome => ({
  kind: 'command',
  command: { cdb: cdb([0x12, 0, 0, 0, 36, 0]), direction: 'from-device', length: 36 },
  ...viaSgIo(),
  status: 0,
  sense: Buffer.alloc(0),
  residual: 0,
  dataIn: inquiryData('QEMU'),
  dataDigest: 1n,
  log: [],
  durationNs: 1000n,
  branches: [],
  ...overrides,
});

const runOf = (paths: Record<string, CommandOutcome>): CaseRun => {
  const first = Object.values(paths)[0];
  const runs: PathRun[] = Object.entries(paths).map(([path, outcome]) => ({ path: path as PathId, outcomes: [outcome], disk: { digest: 'same', bytes: undefined } }));
  return { case: { steps: [{ kind: 'command', command: first.command }] }, initialContent: Buffer.alloc(0), runs, failure: undefined };
};

const vendorPolicy = parsePolicy(
  JSON.stringify({
    format: 'hbadiff-policy/1',
    rules: [{ id: 'vendor', between: ['*:scsi-hd', '*:scsi-block'], opcode: '12', page: 'standard', field: 'data', bytes: [[8, 16]], reason: 'the vendor names the device' }],
  }),
  'vendor-policy.json',
);

describe('compareRuns', () => {
  it('finds nothing where every path answered alike', () => {
    expect(compareRuns(runOf({ 'megasas:scsi-hd': answer(), 'virtio-scsi:scsi-hd': answer() }), emptyPolicy)).toEqual([]);
  });

  it('reports each differing field once per pair, in that pair order, DRIVER_SENSE left to the sense field', () => {
    const checkCondition = answer({ status: 2, ...viaSgIo({ driverStatus: 8 }), sense: Buffer.from('700005000000000a00000000240000', 'hex'), dataIn: Buffer.alloc(36, 0xa5) });
    const found = compareRuns(runOf({ 'megasas:scsi-hd': answer(), 'virtio-scsi:scsi-hd': checkCondition }), emptyPolicy);
    expect(found.map((divergence) => [divergence.field, divergence.values])).toEqual([
      ['status', ['GOOD', 'CHECK CONDITION']],
      ['sense', ['none', 'fixed key 0x5 0x24/0x00']],
    ]);
  });

  it('compares data only where both paths answered GOOD, and only the bytes both transferred', () => {
    const shortAnswer = inquiryData('QEMU');
    shortAnswer.fill(0x77, 20);
    const shortTransfer = answer({ residual: 16, dataIn: shortAnswer });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': answer(), 'virtio-scsi:scsi-hd': shortTransfer }), emptyPolicy).map((d) => d.field)).toEqual(['residual']);
    const otherProduct = answer({ dataIn: Buffer.concat([inquiryData('QEMU').subarray(0, 16), Buffer.from('OTHER'.padEnd(20), 'latin1')]) });
    const [data] = compareRuns(runOf({ 'megasas:scsi-hd': answer(), 'virtio-scsi:scsi-hd': otherProduct }), emptyPolicy);
    expect(data).toMatchObject({ field: 'data', values: [expect.stringContaining('byte 16 = 68'), expect.stringContaining('byte 16 = 79')] });
  });

  it('leaves the host buffer past what the CDB asks for, and after a transport failure, out of the data', () => {
    const stale = (fill: number) => Buffer.concat([inquiryData('QEMU'), Buffer.alloc(28, fill)]);
    // INQUIRY asking 36 bytes into a 64-byte buffer, no residual reported (as megasas never does): bytes 36..63 are the buffer's old contents.
    const longBuffer = (fill: number) => answer({ command: { cdb: cdb([0x12, 0, 0, 0, 36, 0]), direction: 'from-device', length: 64 }, dataIn: stale(fill) });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': longBuffer(0x11), 'virtio-scsi:scsi-hd': longBuffer(0x22) }), emptyPolicy)).toEqual([]);
    // RELEASE (6) moves no data at all, whatever buffer came with it.
    const release = (fill: number) => answer({ command: { cdb: cdb([0x17, 0, 0, 0, 0, 0]), direction: 'from-device', length: 1 }, dataIn: Buffer.from([fill]), dataDigest: BigInt(fill) });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': release(1), 'virtio-scsi:scsi-hd': release(2) }), emptyPolicy)).toEqual([]);
    const digestOnly = (fill: number) => ({ ...release(fill), dataIn: undefined });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': digestOnly(1), 'virtio-scsi:scsi-hd': digestOnly(2) }), emptyPolicy)).toEqual([]);
    // Status GOOD with DID_BAD_TARGET on both builds: nothing was transferred, so nothing is compared.
    const badTarget = (vendor: string) => answer({ ...viaSgIo({ hostStatus: 0x4 }), dataIn: inquiryData(vendor) });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': badTarget('QEMU'), 'megasas:scsi-block': badTarget('IET') }), emptyPolicy)).toEqual([]);
    // Within what the CDB asks for, a difference still shows.
    const otherVendor = answer({ command: { cdb: cdb([0x12, 0, 0, 0, 36, 0]), direction: 'from-device', length: 64 }, dataIn: Buffer.concat([inquiryData('QEMU2'), Buffer.alloc(28)]) });
    expect(compareRuns(runOf({ 'megasas:scsi-hd': longBuffer(0x11), 'virtio-scsi:scsi-hd': otherVendor }), emptyPolicy).map((d) => d.field)).toEqual(['data']);
  });

  it('lets a policy rule mask its byte range of its field between its paths, and nothing else', () => {
    const hd = answer();
    const block = answer({ dataIn: inquiryData('IET') });
    expect(compareRuns(runOf({ 'virtio-scsi:scsi-hd': hd, 'virtio-scsi:scsi-block': block }), vendorPolicy)).toEqual([]);
    // The same difference between two scsi-hd paths is outside the rule's pair.
    expect(compareRuns(runOf({ 'virtio-scsi:scsi-hd': hd, 'megasas:scsi-hd': block }), vendorPolicy).map((d) => d.field)).toEqual(['data']);
    // A difference outside the masked bytes, or in another field of the same command, still shows.
    const otherProduct = answer({ dataIn: Buffer.concat([inquiryData('IET').subarray(0, 16), Buffer.from('OTHER'.padEnd(20), 'latin1')]) });
    const failed = answer({ dataIn: inquiryData('IET'), status: 2 });
    expect(compareRuns(runOf({ 'virtio-scsi:scsi-hd': hd, 'virtio-scsi:scsi-block': otherProduct }), vendorPolicy).map((d) => d.field)).toEqual(['data']);
    expect(compareRuns(runOf({ 'virtio-scsi:scsi-hd': hd, 'virtio-scsi:scsi-block': failed }), vendorPolicy).map((d) => d.field)).toEqual(['status']);
  });

  it('names kernel messages without the device names that differ per path', () => {
    const logged = (text: string) => answer({ log: [{ level: 4, text }] });
    const found = compareRuns(
      runOf({ 'megasas:scsi-hd': logged('sd 1:2:0:0: [sdb] tag#3 timing out command'), 'megasas-gen2:scsi-hd': logged('sd 0:2:5:0: [sdc] tag#9 timing out command') }),
      emptyPolicy,
    );
    expect(found).toEqual([]);
  });

  it('turns a crash into one divergence naming every path, which no policy masks, signed by its assertion', () => {
    const detail = "QEMU was killed by signal 6\nqemu-system-x86_64: ../../hw/scsi/scsi-disk.c:2834: scsi_block_do_sgio: Assertion `iov->size % s->qdev.blocksize == 0' failed.";
    const run: CaseRun = { ...runOf({ 'megasas:scsi-hd': answer(), 'virtio-scsi:scsi-hd': answer() }), failure: { kind: 'crash', step: 0, detail } };
    const [crash] = compareRuns(run, vendorPolicy);
    expect(crash).toEqual({ step: 0, field: 'crash', paths: ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'], values: ['QEMU was killed by signal 6'] });
    expect(failureSignature(crash, run).text).toBe('crash:scsi-disk.c scsi_block_do_sgio: iov->size % s->qdev.blocksize == 0');
  });

  it("signs the guest kernel's panic by the function it died in and its module, not the offsets", () => {
    const panic = (offset: string) =>
      `QEMU exited with status 0 while the harness was talking to the guest; its last output:\n[   42.796180]  esp_queuecommand+0xe9/0x140 [esp_scsi]\n[   42.803499] RIP: 0010:scsi_esp_intr+${offset}/0x16e6 [esp_scsi]\n[   42.806027] Kernel panic - not syncing: Fatal exception in interrupt`;
    const signed = (detail: string) => {
      const run: CaseRun = { ...runOf({ 'am53c974:scsi-hd': answer(), 'dc390:scsi-hd': answer() }), failure: { kind: 'crash', step: 4, detail } };
      return failureSignature(compareRuns(run, emptyPolicy)[0], run);
    };
    expect(signed(panic('0x888')).text).toBe('crash:guest kernel panic in scsi_esp_intr [esp_scsi]');
    expect(signed(panic('0x8a0')).id).toBe(signed(panic('0x888')).id);
    expect(signed('QEMU exited with status 0 while the harness was talking to the guest').text).toBe('crash:exited with status 0');
  });
});

describe('pairSignature', () => {
  it('is the same for the same difference on repeated pairs and in either path order, and stable', () => {
    const good = answer();
    const short = answer({ residual: 20 });
    const a = compareRuns(runOf({ 'megasas:scsi-hd': good, 'virtio-scsi:scsi-hd': short }), emptyPolicy);
    const b = compareRuns(runOf({ 'virtio-scsi:scsi-hd#2': short, 'megasas:scsi-hd': good }), emptyPolicy);
    const residualA = a.find((d) => d.field === 'residual')!;
    const residualB = b.find((d) => d.field === 'residual')!;
    const signature = pairSignature(residualA, runOf({ x: good }));
    expect(signature.text).toBe('12/standard:residual:megasas~virtio-scsi:none|partial');
    expect(pairSignature(residualB, runOf({ x: good }))).toEqual(signature);
    expect(signature.id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('the policy loader', () => {
  it.each([
    ['{', /^p\.json:1:2: invalid JSON/],
    ['{"format":"hbadiff-policy/1","rules":[{"id":"x","between":["*:*","*:*"],"field":"data","reason":"a long enough reason"}]}', /^p\.json: rules\[0\]\.opcode: required but missing$/],
    ['{"format":"hbadiff-policy/1","rules":[{"id":"x","between":["*:*","*:*"],"opcode":"12","field":"status","bytes":[[0,1]],"reason":"a long enough reason"}]}', /^p\.json: rules\[0\]\.bytes: byte ranges mask data only/],
    ['{"format":"hbadiff-policy/1","rules":[{"id":"x","between":["*:*","*:*"],"opcode":"12","field":"content","reason":"a long enough reason"}]}', /^p\.json: rules\[0\]\.field: must be one of/],
  ])('rejects %s in one line', (text, message) => {
    expect(() => parsePolicy(text, 'p.json')).toThrow(UserError);
    expect(() => parsePolicy(text, 'p.json')).toThrow(message);
  });

  it('loads the default policy', () => {
    expect(() => parsePolicy(require('node:fs').readFileSync(require('node:path').join(__dirname, '../../../harness/diff/default-policy.json'), 'utf8'), 'default')).not.toThrow();
  });
});
