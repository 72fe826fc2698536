import { megasasTrace } from '../../../harness/qemu/hba/megasas-trace';
import { virtioScsiTrace } from '../../../harness/qemu/hba/virtio-scsi-trace';
import { commandBranches, SentCommand } from '../../../harness/qemu/trace/command-branches';
import { parseTraceLine } from '../../../harness/qemu/trace/qemu-trace';
import { traceCatalog } from '../../../harness/qemu/trace/trace-catalog';

/** Lines as Debian 12's QEMU 7.2.22 wrote them for a batch on megasas (targets 0, 1) and virtio-scsi (targets 2, 3). */
const trace = `
1@1.000001:megasas_handle_scsi LD SCSI dev 1/0/0 sdev 0x55ca9e01c000 xfer 0
1@1.000002:megasas_iovec_sgl_overflow scmd 1: iovec count 0 limit 128
2@1.000003:virtio_scsi_cmd_req virtio_scsi_cmd_req lun=0 tag=0x6458650 cmd=0x0
2@1.000004:scsi_req_parsed target 2 lun 0 tag 105219664 command 0 dir 0 length 0
2@1.000005:scsi_req_dequeue target 2 lun 0 tag 105219664
2@1.000006:virtio_scsi_cmd_resp virtio_scsi_cmd_resp lun=0 tag=0x6458650 response=0 status=0x0
2@1.000007:virtio_scsi_cmd_req virtio_scsi_cmd_req lun=0 tag=0x6459350 cmd=0xc5
2@1.000008:scsi_req_parse_bad target 2 lun 0 tag 105222992 command 197
2@1.000009:scsi_req_dequeue target 2 lun 0 tag 105222992
2@1.000010:virtio_scsi_cmd_resp virtio_scsi_cmd_resp lun=0 tag=0x6459350 response=0 status=0x2
1@1.000011:megasas_handle_io scmd 1: LD Read dev 1/0 lba 0x0 count 1
1@1.000012:megasas_iovec_underflow scmd 1: len 4096 limit 512
1@1.000013:scsi_req_parsed target 1 lun 0 tag 1 command 136 dir 1 length 512
1@1.000014:scsi_req_dequeue target 1 lun 0 tag 1
2@1.000015:virtio_scsi_cmd_req virtio_scsi_cmd_req lun=0 tag=0x64599d0 cmd=0x28
2@1.000016:scsi_req_parsed target 3 lun 0 tag 105224656 command 40 dir 1 length 512
2@1.000017:virtio_scsi_cmd_resp virtio_scsi_cmd_resp lun=0 tag=0x64599d0 response=1 status=0x0
`
  .trim()
  .split('\n')
  .flatMap((line) => parseTraceLine(line) ?? []);

const available = new Set(trace.map((event) => event.name));
const catalog = traceCatalog([megasasTrace, virtioScsiTrace], available);
const sent = (target: number, opcode: number, more: Partial<SentCommand> = {}): SentCommand => ({ target, opcode, reached: true, ...more });
const names = (commands: readonly SentCommand[]) => commandBranches(trace, catalog, commands).map((branches) => branches.map((branch) => branch.name));

describe('commandBranches', () => {
  it('gives each command, in order, the error branches QEMU took for it and only those', () => {
    expect(names([sent(0, 0x00), sent(2, 0x00), sent(2, 0xc5), sent(1, 0x28), sent(3, 0x28)])).toEqual([
      ['megasas_iovec_sgl_overflow'],
      [],
      ['scsi_req_parse_bad'],
      ['megasas_handle_io', 'megasas_iovec_underflow'],
      ['virtio_scsi_cmd_resp response=1'],
    ]);
  });

  it("names the guest driver's own answer, and passes over commands QEMU never saw, keeping the rest in step", () => {
    const refused = sent(2, 0x00, { reached: false });
    const answered = sent(0, 0x35, { answeredByGuest: megasasTrace.answeredByGuest?.(0x35) });
    expect(names([answered, sent(0, 0x00), refused, sent(2, 0xc5), sent(3, 0x28)])).toEqual([
      ['the guest megaraid_sas megasas_queue_command'],
      ['megasas_iovec_sgl_overflow'],
      [],
      ['scsi_req_parse_bad'],
      ['virtio_scsi_cmd_resp response=1'],
    ]);
  });

  it('gives a group of queued commands its windows in whatever order the HBAs took them', () => {
    // Sent as megasas target 1, virtio-scsi target 3, megasas target 0; the trace has 0, then 1, then 3.
    const queued = { queued: true };
    expect(names([sent(1, 0x28, queued), sent(3, 0x28, queued), sent(0, 0x00, queued), sent(2, 0xc5)])).toEqual([
      ['megasas_handle_io', 'megasas_iovec_underflow'],
      ['virtio_scsi_cmd_resp response=1'],
      ['megasas_iovec_sgl_overflow'],
      [],
    ]);
    // Unqueued, the same order finds only what lies ahead of the command before it.
    expect(names([sent(1, 0x28), sent(3, 0x28), sent(0, 0x00)])).toEqual([['megasas_handle_io', 'megasas_iovec_underflow'], ['virtio_scsi_cmd_resp response=1'], []]);
  });

  it('leaves out the events a build does not have', () => {
    const older = traceCatalog([megasasTrace, virtioScsiTrace], new Set(['scsi_req_parsed', 'megasas_handle_scsi']));
    expect(older.events).toEqual(['megasas_handle_scsi', 'scsi_req_parsed']);
    expect(older.branches.size).toBe(0);
  });
});
