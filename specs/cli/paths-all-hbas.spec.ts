import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { hbaEmulations as emulations } from '../../harness/qemu/hba/registry';

const hbadiff = join(__dirname, '..', '..', 'harness', 'cli', 'hbadiff.sh');

/**
 * `hbadiff paths --hbas all`: every HBA of the registry, each on a PCI slot of its own with each disk kind,
 * shown with its sg node and guest driver answering; a path it cannot have, in one line saying why. On
 * Debian's 7.2.22 that is all of them but the two ESP HBAs' passthrough LUNs: the ESP HBAs come up on q35,
 * and mptsas1068's disks once each has a SAS address.
 */
describe('hbadiff paths --hbas all', () => {
  let run: SpawnSyncReturns<string>;
  let lines: string[];
  beforeAll(() => {
    run = spawnSync(hbadiff, ['paths', '--hbas', 'all'], { encoding: 'utf8', timeout: 240_000 });
    lines = run.stdout.split('\n');
  }, 300_000);

  it('shows every HBA with each disk kind behind its own guest driver, or says why a path is left out', () => {
    expect({ status: run.status, stderr: run.stderr.slice(-1000) }).toEqual({ status: 0, stderr: expect.any(String) });
    const shownOrLeftOut = emulations.flatMap((driver) =>
      ['scsi-hd', 'scsi-block'].map((disk) => {
        const shown = lines.some((line) => line.startsWith(`${driver.model}:${disk}: /dev/sg`) && line.endsWith(`guest driver ${driver.guestDriver}`));
        const leftOut = lines.some((line) => line.startsWith(`${driver.model}: left out, `) || line.startsWith(`${driver.model}:${disk}: left out, `));
        return [`${driver.model}:${disk}`, shown ? 'shown' : leftOut ? 'left out' : 'neither'];
      }),
    );
    expect(shownOrLeftOut.filter(([, state]) => state !== 'shown')).toEqual([
      ['am53c974:scsi-block', 'left out'],
      ['dc390:scsi-block', 'left out'],
    ]);
    expect(lines.filter((line) => line.startsWith('mptsas1068:scsi-'))).toEqual([
      expect.stringMatching(/^mptsas1068:scsi-hd: \/dev\/sg\d+ at \d+:0:0:0, guest driver mptsas$/),
      expect.stringMatching(/^mptsas1068:scsi-block: \/dev\/sg\d+ at \d+:0:0:0, guest driver mptsas$/),
    ]);
    expect(lines.find((line) => line.startsWith('am53c974:scsi-block: left out, '))).toMatch(/TEST UNIT READY through it never completes/);
  });

  it('gets every shown path through INQUIRY from its own kind of disk: QEMU\'s emulation or tgtd\'s LUN', () => {
    const answers = lines.flatMap((line, index) => {
      const path = /^(\S+:(scsi-hd|scsi-block)): \/dev\/sg/.exec(line);
      if (!path) return [];
      const inquiry = lines.slice(index + 1).find((next) => next.startsWith('  INQUIRY: '));
      return [[path[1], /^ {2}INQUIRY: GOOD; "(\w+)"/.exec(inquiry ?? '')?.[1]]];
    });
    expect(answers.length).toBe(emulations.length * 2 - 2);
    expect(answers).toEqual(answers.map(([path]) => [path, path?.endsWith(':scsi-hd') ? 'QEMU' : 'IET']));
  });
});
