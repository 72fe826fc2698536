import { caseGenerator } from '../../../harness/campaign/case-generator';
import { parseCase } from '../../../harness/case/parse-case';
import { serializeCase } from '../../../harness/case/serialize-case';
import { decodeCdb } from '../../../harness/scsi/decode-cdb';
import { PathId } from '../../../harness/qemu/topology';

const generate = caseGenerator({ blocks: 16384, blockBytes: 512 }, ['megasas:scsi-hd', 'virtio-scsi:scsi-hd'] as PathId[]);
const seeds = Array.from({ length: 400 }, (_, index) => 1000 + index);

/** What the campaign generates must be what a case file can say, and the same seed must say the same thing. */
describe('the campaign case generator', () => {
  it('draws the same case for the same seed', () => {
    expect(serializeCase(generate(42))).toBe(serializeCase(generate(42)));
    expect(serializeCase(generate(42))).not.toBe(serializeCase(generate(43)));
  });

  it('draws only cases that survive a round trip through the case file', () => {
    for (const seed of seeds) {
      const text = serializeCase(generate(seed));
      expect(serializeCase(parseCase(text, `seed ${seed}`))).toBe(text);
    }
  });

  it('reaches many opcodes, the buffer edges, raw CDBs and resets', () => {
    const steps = seeds.flatMap((seed) => generate(seed).steps);
    const commands = steps.flatMap((step) => (step.kind === 'command' ? [step.command] : []));
    const known = commands.filter((command) => !decodeCdb(command.cdb).name.startsWith('operation code'));
    expect(new Set(commands.map((command) => command.cdb[0])).size).toBeGreaterThan(40);
    expect(known.length / commands.length).toBeGreaterThan(0.75);
    expect(steps.some((step) => step.kind === 'reset')).toBe(true);
    expect(commands.some((command) => command.direction === 'none' && command.cdb[0] === 0x28)).toBe(true);
    expect(commands.some((command) => command.direction === 'to-device' && command.dataOut?.length === command.length)).toBe(true);
    expect(new Set(commands.map((command) => command.cdb.length)).size).toBeGreaterThan(8);
  });
});
