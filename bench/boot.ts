import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { GuestSession } from '../harness/session/guest-session';
import { defaultTopology, layoutTopology } from '../harness/qemu/topology';
import { summarize } from './statistics';

/** Spawn to the agent's hello, for the default topology, over five boots one after the other. */
const boots = Number(process.env.HBADIFF_BENCH_BOOTS ?? 5);

const main = async (): Promise<void> => {
  const samples: number[] = [];
  let described = '';
  for (let boot = 1; boot <= boots; boot++) {
    const session = await GuestSession.start({ topology: defaultTopology });
    samples.push(session.bootMs);
    described = `QEMU ${session.qemu.version}, ${session.accelerator.toUpperCase()}, kernel ${session.image.kernelRelease} (${session.image.kernelFormat})`;
    console.log(`boot ${boot}/${boots}: ${(session.bootMs / 1000).toFixed(2)} s to hello`);
    await session.stop();
  }
  const summary = summarize(samples);
  const result = {
    benchmark: 'boot to ready (spawn to the agent hello)',
    topology: layoutTopology(defaultTopology).map((layout) => layout.path),
    setup: described,
    host: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
    unit: 'ms',
    samples,
    ...summary,
  };
  const outDir = join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'boot.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `boot to ready: median ${(summary.median / 1000).toFixed(2)} s, min ${(summary.min / 1000).toFixed(2)} s, max ${(summary.max / 1000).toFixed(2)} s, IQR ${(summary.iqr / 1000).toFixed(2)} s over ${summary.runs} boots (${described}); written to bench/out/boot.json`,
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
