import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeCase } from '../case/serialize-case';
import { commandsWithDataOut, suiteDeadlineMs } from '../conformance/conformance-on-path';
import { caseOfTest } from '../conformance/row-case';
import { chosenTests, hostScsiTests } from '../conformance/suite-catalog';
import { locateQemu, probeQemu } from '../qemu/binary';
import { PathId } from '../qemu/topology';
import { AcceleratorChoice } from '../session/accelerator';
import { topologyOfOnePath } from '../session/case-topology';

export interface LibiscsiImportOptions {
  readonly qemu?: string;
  readonly accel?: AcceleratorChoice;
  readonly tests?: string;
  readonly out: string;
}

/**
 * The path whose run of the suite the corpus takes its sequences from: QEMU's own disk behind virtio-scsi
 * answers every command the suite sends (megasas's guest driver refuses transfers over its limit with EINVAL,
 * which cuts some tests short), and a corpus case runs on every path anyway.
 */
const sourcePath = 'virtio-scsi:scsi-hd' as PathId;

/**
 * `hbadiff corpus import --from libiscsi`: each chosen test of libiscsi's SCSI family run alone in a guest,
 * its commands (data-out included) written as a case on the default paths, for `hbadiff run --corpus`.
 */
export const importLibiscsiCorpus = async (options: LibiscsiImportOptions): Promise<void> => {
  const tests = chosenTests(hostScsiTests(), options.tests);
  const qemu = await probeQemu(locateQemu(options.qemu));
  const sent = await commandsWithDataOut({ path: sourcePath, topology: topologyOfOnePath(sourcePath) }, tests, { qemu: options.qemu, accelerator: options.accel, suiteDeadlineMs });
  mkdirSync(options.out, { recursive: true });
  let written = 0;
  for (const test of tests) {
    const testCase = caseOfTest({ test, from: sourcePath, commands: sent.get(test)?.commands ?? [], qemuVersion: qemu.version });
    if (testCase.steps.length === 0) continue;
    writeFileSync(join(options.out, `libiscsi-${test}.json`), serializeCase(testCase));
    written++;
  }
  console.log(`${written} case(s) written to ${options.out} from ${tests.length} libiscsi test(s) as sent on ${sourcePath}; ${tests.length - written} sent no command there`);
};
