import { decodeLbaStatus, describeLbaStatus } from '../../../harness/scsi/data-in/lba-status';
import { hex, tgtdLbaStatusFrom100 } from './captured-answers';

describe('GET LBA STATUS data', () => {
  it("decodes tgtd's single mapped extent from LBA 100 to the end", () => {
    expect(decodeLbaStatus(tgtdLbaStatusFrom100)).toEqual({
      parameterDataLength: 20,
      descriptors: [{ lba: 100n, blocks: 16284, provisioningStatus: 0, additionalStatus: 0 }],
      truncated: false,
      problems: [],
    });
  });

  it('decodes several descriptors and names their provisioning status', () => {
    const status = decodeLbaStatus(
      hex('00 00 00 24 00 00 00 00' + ' 00 00 00 00 00 00 00 00 00 00 00 10 01 00 00 00' + ' 00 00 00 00 00 00 00 10 00 00 00 20 02 00 00 00'),
    );
    expect(status.descriptors.map((descriptor) => [descriptor.lba, descriptor.blocks, descriptor.provisioningStatus])).toEqual([
      [0n, 16, 1],
      [16n, 32, 2],
    ]);
    expect(describeLbaStatus(status)).toContain('PROVISIONING STATUS: 01h (deallocated)');
  });

  it('says when the length is not whole descriptors, or the data stops early', () => {
    expect(decodeLbaStatus(hex('00 00 00 0a 00 00 00 00 00 00')).problems).toEqual(['PARAMETER DATA LENGTH 10 is not 4 plus whole 16-byte descriptors']);
    expect(decodeLbaStatus(tgtdLbaStatusFrom100.subarray(0, 16))).toMatchObject({ descriptors: [], truncated: true });
  });
});
