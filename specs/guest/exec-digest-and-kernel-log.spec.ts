import { bootedGuest } from './booted-guest';
import { KernelLogRecord } from '../../harness/guest/messages';
import { fnv1a64 } from '../../harness/guest/wire/fnv1a64';
import { defaultTopology } from '../../harness/qemu/topology';
import { cdb } from '../../harness/scsi/cdb';
import { ScsiCommand } from '../../harness/scsi/command';
import { read10, testUnitReady } from '../../harness/scsi/opcodes';
import { decodeSense } from '../../harness/scsi/sense';
import { ScsiStatus } from '../../harness/scsi/status';
import { blockBytes, initialDiskContent } from '../../harness/session/disk-content';
import { GuestPath } from '../../harness/session/guest-session';

/**
 * What an EXEC result says beyond the SCSI outcome, on a real guest: the digest of the data-in buffer,
 * which can stand in for the data, and the kernel log records the command itself caused.
 */
describe('EXEC results on the default topology', () => {
  const guest = bootedGuest({ topology: defaultTopology });
  const initial = initialDiskContent(defaultTopology.diskBytes);
  const unitAttention = 0x6;
  const didAbort = 0x05;
  const unitReady: ScsiCommand = { cdb: testUnitReady(), direction: 'none', length: 0 };

  const addressOf = (path: GuestPath): string =>
    `${path.device.host}:${path.device.channel}:${path.device.target}:${path.device.lun}`;
  const texts = (records: readonly KernelLogRecord[]): string[] => records.map((record) => record.text);

  const consumeUnitAttentions = async (path: GuestPath): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [result] = await guest.session.exec(path, [unitReady]);
      if (decodeSense(result.sense)?.key !== unitAttention) return;
    }
  };

  it('digests the whole data-in buffer, and with digestOnly sends the digest alone', async () => {
    const lba = 100;
    const blocks = 4;
    const read: ScsiCommand = { cdb: read10({ lba, blocks }), direction: 'from-device', length: blocks * blockBytes };
    // The whole buffer is the content here: a full transfer overwrites every byte of the fill.
    const content = initial.subarray(lba * blockBytes, (lba + blocks) * blockBytes);
    const digest = fnv1a64(content);
    for (const path of guest.session.paths) {
      await consumeUnitAttentions(path);
      const [digestOnly] = await guest.session.exec(path, [read], { digestOnly: true });
      const [full] = await guest.session.exec(path, [read]);
      expect({ path: path.id, status: digestOnly.status, dataIn: digestOnly.dataIn.length, digest: digestOnly.dataDigest }).toEqual({
        path: path.id,
        status: ScsiStatus.good,
        dataIn: 0,
        digest,
      });
      expect({ path: path.id, digest: full.dataDigest, content: full.dataIn.equals(content) }).toEqual({
        path: path.id,
        digest,
        content: true,
      });
    }
  });

  /*
   * The SCSI midlayer fails a CDB longer than the HBA's max_cmd_len (16 for megaraid_sas) with DID_ABORT
   * before the driver sees it (scsi_dispatch_cmd), and logs the failure and the CDB on completion
   * (scsi_io_completion_action, at most 10 times in 5 seconds).
   */
  it('gives a command the kernel log records it caused, and neither the next command nor KLOG', async () => {
    const path = guest.session.path('megasas:scsi-hd');
    const tooLong: ScsiCommand = { cdb: cdb(Buffer.alloc(32)), direction: 'none', length: 0 };
    const [aborted, next] = await guest.session.exec(path, [tooLong, unitReady]);

    expect(aborted.hostStatus).toBe(didAbort);
    expect(texts(aborted.kernelLog)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^scsi ${addressOf(path)}: tag#\\d+ FAILED Result: hostbyte=DID_ABORT`)),
        expect.stringMatching(new RegExp(`^scsi ${addressOf(path)}: tag#\\d+ CDB: Test Unit Ready`)),
      ]),
    );
    expect(texts(next.kernelLog)).not.toContainEqual(expect.stringMatching(/DID_ABORT|CDB/));
    const attributed = aborted.kernelLog.map((record) => record.sequence);
    const returnedLater = (await guest.session.agent.kernelLog()).map((record) => record.sequence);
    expect(returnedLater.filter((sequence) => attributed.includes(sequence))).toEqual([]);
  });

  /*
   * virtio_scsi logs the reset itself; the next command meets the unit attention the reset left, and the
   * midlayer logs it as it passes (scsi_report_sense).
   */
  it('keeps what a reset logged for KLOG, and gives the unit attention it left to the command that met it', async () => {
    const path = guest.session.path('virtio-scsi:scsi-hd');
    const resetLine = `scsi ${addressOf(path)}: device reset`;
    const unitAttentionLine = `scsi ${addressOf(path)}: Power-on or device reset occurred`;
    await guest.session.agent.kernelLog();
    await expect(guest.session.agent.reset([path.device.sgNode], 'device')).resolves.toEqual([0]);
    const [first, second] = await guest.session.exec(path, [unitReady, unitReady]);

    expect(decodeSense(first.sense)?.key).toBe(unitAttention);
    expect(texts(first.kernelLog)).toContain(unitAttentionLine);
    expect(texts(first.kernelLog)).not.toContain(resetLine);
    expect(texts(second.kernelLog)).not.toContain(unitAttentionLine);
    const later = texts(await guest.session.agent.kernelLog());
    expect(later).toContain(resetLine);
    expect(later).not.toContain(unitAttentionLine);
  });
});
