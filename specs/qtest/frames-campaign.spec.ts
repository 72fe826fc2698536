import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFrameCampaign } from '../../harness/frames/frame-campaign';
import { framesFile, reproducerFile, writeFrameFinding } from '../../harness/frames/frame-finding-files';
import { frameHbas } from '../../harness/frames/frame-hbas';
import { MfiMutation } from '../../harness/frames/mfi-mutation';
import { FrameHba } from '../../harness/frames/mutation-target';
import { readReproducers } from '../../harness/qtest/read-reproducers';
import { replayReproducer } from '../../harness/qtest/replay-reproducer';
import { stableQemu } from '../fixtures/stable-qemu';

const timing = { frameTimeoutMs: 100, hangMs: 5_000 };

let qemu: string;
let asanQemu: string;
let out: string;
beforeAll(() => {
  qemu = stableQemu('7.2.22');
  asanQemu = stableQemu('7.2.0', 'asan');
  out = mkdtempSync(join(tmpdir(), 'hbadiff-frames-'));
}, 1_800_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** READ (10) of one block whose single SGL entry starts 8 bytes before the data buffer: QEMU writes 8 bytes of the guard. */
const sglIntoGuard: MfiMutation = {
  command: { target: 0, lun: 0, cdb: [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0], direction: 'in', dataBytes: 512 },
  kind: 'ld',
  overrides: [{ field: 'sgl', entries: [{ address: { near: 'data', from: 'start', delta: -8 }, length: { delta: 0 } }] }],
};

/** MODE SENSE (6) whose SGL points at megasas's own register BAR: the DMA'd mode data soft-resets the adapter mid-transfer. */
const sglIntoOwnRegisters: MfiMutation = {
  command: { target: 0, lun: 0, cdb: [0x1a, 0, 0x3f, 0, 36, 0], direction: 'in', dataBytes: 36 },
  kind: 'linux',
  overrides: [{ field: 'sgl', entries: [{ address: { fixed: 'bar-window' }, length: { delta: 8 } }] }],
};

describe('hbadiff frames on megasas', () => {
  it('refuses an HBA it has no mutations for in one line, before starting anything', () => {
    const result = spawnSync(join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh'), ['frames', '--hba', 'lsi53c895a', '--qemu', qemu], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('hbadiff: --hba: "lsi53c895a" is not an HBA whose frames hbadiff mutates (megasas, megasas-gen2, virtio-scsi)');
  });

  it('runs a seeded campaign for its time, counting frames and runs', async () => {
    const started = Date.now();
    const { stats } = await runFrameCampaign({ hba: frameHbas.megasas, qemu, seconds: 3, seed: 42, timing, shrinkMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(stats.runs).toBeGreaterThan(10);
    expect(stats.frames).toBeGreaterThanOrEqual(stats.runs);
    expect(stats.failures.crash + stats.failures.hang).toBe(0);
  }, 30_000);

  it('sees QEMU write into a guard an SGL entry pointed at, and counts it as the frame\'s doing, not a finding', async () => {
    const knownBad: FrameHba<MfiMutation> = { ...frameHbas.megasas, mutation: fc.constant(sglIntoGuard) };
    const { findings, stats } = await runFrameCampaign({ hba: knownBad, qemu, seconds: 2, seed: 1, timing, shrinkMs: 1_000 });
    // Every run of this one frame has its data written 8 bytes into the guard before the data buffer, as asked.
    expect(stats.writesWhereAsked).toBe(stats.runs);
    expect(stats.runs).toBeGreaterThan(0);
    expect(stats.failures['stray-write']).toBe(0);
    expect(findings).toEqual([]);
  }, 30_000);

  it("signs ASan 7.2.0's use-after-free from DMA into megasas's own registers as one crash whose reproducer crashes a fresh QEMU, and 7.2.22 survives it", async () => {
    const dmaIntoRegisters: FrameHba<MfiMutation> = { ...frameHbas.megasas, mutation: fc.constant(sglIntoOwnRegisters) };
    const { findings } = await runFrameCampaign({ hba: dmaIntoRegisters, qemu: asanQemu, seconds: 2, seed: 1, timing, shrinkMs: 1_000 });
    expect(findings.map((finding) => finding.signature.text)).toEqual(['megasas: crash: AddressSanitizer: heap-use-after-free in scsi_req_data < scsi_disk_emulate_read_data < scsi_req_continue']);
    const directory = writeFrameFinding(out, dmaIntoRegisters, asanQemu, findings[0]);
    expect(JSON.parse(readFileSync(join(directory, framesFile), 'utf8')).frames).toEqual([sglIntoOwnRegisters]);
    const [reproducer] = readReproducers(join(directory, reproducerFile));
    expect(await replayReproducer(reproducer, { qemu: asanQemu, timeoutMs: 5_000 })).toMatchObject({ kind: 'crash', evidence: expect.stringContaining('heap-use-after-free') });
    expect(await replayReproducer(reproducer, { qemu, timeoutMs: 5_000 })).toMatchObject({ kind: 'clean' });
  }, 30_000);
});
