import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IscsiLun, TgtdServer } from '../../harness/iscsi/tgtd';
import { locateQemu } from '../../harness/qemu/binary';

const run = promisify(execFile);

/** Opens a LUN the way the harness's QEMU does, with QEMU's own iSCSI driver, and reports its size or QEMU's refusal. */
const openWithQemu = async (lun: IscsiLun, initiatorName: string): Promise<string> => {
  const blockdev = `driver=iscsi,transport=tcp,portal=${lun.portal},target=${lun.iqn},lun=${lun.lun},initiator-name=${initiatorName},node-name=lun`;
  const qmp = ['{"execute":"qmp_capabilities"}', '{"execute":"query-named-block-nodes"}', '{"execute":"quit"}'].join('\n');
  const child = run(locateQemu(undefined), ['-nodefaults', '-machine', 'none', '-display', 'none', '-blockdev', blockdev, '-qmp', 'stdio'], {
    timeout: 30_000,
  });
  child.child.stdin?.end(`${qmp}\n`);
  const { stdout } = await child.then(
    (done) => done,
    (error: { stdout?: string; stderr?: string }) => ({ stdout: `refused: ${error.stderr ?? ''}` }),
  );
  const size = /"virtual-size": (\d+)/.exec(stdout);
  return size ? `size ${size[1]}` : stdout.split('\n')[0];
};

describe('the private iSCSI target', () => {
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'hbadiff-tgtd-spec-'));
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('runs two instances at once on their own ports, each serving its LUN only to its own initiator', async () => {
    const backing = [1, 2].map((n) => {
      const file = join(workDir, `lun${n}.raw`);
      writeFileSync(file, Buffer.alloc(n * 1024 * 1024));
      return file;
    });
    const servers = await Promise.all([TgtdServer.start(), TgtdServer.start()]);
    try {
      expect(new Set(servers.map((server) => server.port)).size).toBe(2);
      expect(new Set(servers.map((server) => server.controlPort)).size).toBe(2);
      const luns = await Promise.all(servers.map((server, index) => server.addLun(backing[index])));
      expect(luns.map((lun) => lun.portal)).toEqual(servers.map((server) => `127.0.0.1:${server.port}`));
      expect(await openWithQemu(luns[0], luns[0].initiatorName)).toBe('size 1048576');
      expect(await openWithQemu(luns[1], luns[1].initiatorName)).toBe('size 2097152');
      expect(await openWithQemu(luns[0], luns[1].initiatorName)).toMatch(/refused: .*Failed to log in to target/);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    for (const server of servers) {
      expect(() => process.kill(server.pid ?? -1, 0)).toThrow();
      expect(existsSync(`/run/tgtd/socket.${server.controlPort}`)).toBe(false);
    }
  }, 90_000);
});
