import { frameFailureSignature } from '../../../harness/frames/frame-failure';

const asanReport = [
  'QEMU was killed by signal 6',
  '==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000001234 at pc 0x55 bp 0x7f sp 0x7e',
  'WRITE of size 4 at 0x602000001234 thread T0',
  '    #0 0x55d0c3 in megasas_handle_dcmd ../hw/scsi/megasas.c:1640',
  '    #1 0x55d0c4 in megasas_handle_frame ../hw/scsi/megasas.c:1990',
  '    #2 0x55d0c5 in megasas_mmio_write ../hw/scsi/megasas.c:2160',
  '    #3 0x55d0c6 in memory_region_write_accessor ../softmmu/memory.c:493',
  'SUMMARY: AddressSanitizer: heap-buffer-overflow ../hw/scsi/megasas.c:1640 in megasas_handle_dcmd',
].join('\n');

describe('frameFailureSignature', () => {
  it('names a sanitizer crash by its error and QEMU’s top three frames, not by the frame or its addresses', () => {
    const signature = frameFailureSignature('megasas', { kind: 'crash', frame: 2, detail: asanReport });
    expect(signature.text).toBe('megasas: crash: AddressSanitizer: heap-buffer-overflow in megasas_handle_dcmd < megasas_handle_frame < megasas_mmio_write');
    expect(frameFailureSignature('megasas', { kind: 'crash', frame: 0, detail: asanReport.replace(/0x6020+1234/g, '0x6030') }).id).toBe(signature.id);
  });

  it('names a failed assertion by file, function and condition', () => {
    const detail = "QEMU was killed by signal 6\nqemu-system-x86_64: ../hw/scsi/scsi-bus.c:1400: scsi_req_complete: Assertion `req->status == -1' failed.";
    expect(frameFailureSignature('virtio-scsi', { kind: 'crash', frame: 0, detail }).text).toBe('virtio-scsi: crash: scsi-bus.c scsi_req_complete: req->status == -1');
  });

  it('files divergences by the answer field and named values whatever fields were overridden, so that shrinking keeps the cause', () => {
    const divergence = (fields: string[]) => frameFailureSignature('virtio-scsi', { kind: 'divergence', frame: 0, field: 'hbaStatus', fields, mutated: 'VIRTIO_SCSI_S_FAILURE', unmutated: 'VIRTIO_SCSI_S_OK' });
    expect(divergence(['crn', 'split']).id).toBe(divergence(['split']).id);
    expect(divergence(['split']).text).toBe('virtio-scsi: divergence from the unmutated frame: hbaStatus (VIRTIO_SCSI_S_FAILURE where unmutated VIRTIO_SCSI_S_OK)');
    expect(frameFailureSignature('megasas', { kind: 'divergence', frame: 0, field: 'data', fields: ['sglSplit'], mutated: '36 bytes a', unmutated: '36 bytes b' }).text).toBe(
      'megasas: divergence from the unmutated frame: data',
    );
  });

  it('signs a stray write by the buffer whose guard changed and its side', () => {
    const stray = (buffer: string, side: 'before' | 'after') => frameFailureSignature('megasas', { kind: 'stray-write', frame: 0, buffer, side, firstChanged: 0x1000, description: '' });
    expect(stray('data', 'after').text).toBe('megasas: stray write where no frame pointed: data guard after');
    expect(stray('data', 'before').id).not.toBe(stray('data', 'after').id);
    expect(stray('megasas reply queue', 'after').id).not.toBe(stray('data', 'after').id);
  });
});
