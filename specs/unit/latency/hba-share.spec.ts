import { hbaSpansUs } from '../../../harness/latency/hba-share';
import { parseTraceLine, TraceEvent } from '../../../harness/qemu/trace/qemu-trace';

const event = (name: string, timeUs: number): TraceEvent => ({ name, timeUs, args: '' });
const receives = new Set(['virtio_scsi_cmd_req', 'megasas_handle_scsi', 'megasas_handle_io']);

describe("QEMU's trace, read back", () => {
  it("reads the log backend's timestamped lines, and nothing else", () => {
    expect(parseTraceLine('4242@1700000000.000123:scsi_req_dequeue target 0 lun 0 tag 7')).toEqual({
      name: 'scsi_req_dequeue',
      timeUs: 1_700_000_000_000_123,
      args: 'target 0 lun 0 tag 7',
    });
    expect(parseTraceLine('scsi_req_dequeue target 0 lun 0 tag 7')).toBeUndefined();
    expect(parseTraceLine('')).toBeUndefined();
  });

  it('gives each command, in order, the time from the HBA receiving it to the SCSI layer completing it', () => {
    const events = [
      event('virtio_scsi_cmd_req', 100),
      event('scsi_req_dequeue', 130),
      event('megasas_handle_io', 200),
      event('scsi_req_dequeue', 250),
      event('scsi_req_dequeue', 260),
    ];
    expect(hbaSpansUs(events, receives)).toEqual([30, 50]);
  });

  it('gives a command the HBA failed before the SCSI layer saw it no span, and keeps the order of the rest', () => {
    const events = [event('megasas_handle_scsi', 100), event('megasas_handle_scsi', 200), event('scsi_req_dequeue', 210), event('megasas_handle_scsi', 300)];
    expect(hbaSpansUs(events, receives)).toEqual([undefined, 10, undefined]);
  });
});
