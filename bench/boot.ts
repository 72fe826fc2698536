import { GuestSession } from '../harness/session/guest-session';
import { defaultTopology } from '../harness/qemu/topology';
import { Measurement, measure } from './measurement';

/** Spawn to the agent's hello, for the default topology, boots one after the other. */
export const measureBoot = (boots: number): Promise<Measurement> =>
  measure('boot to ready (spawn to the agent hello), default topology', 'ms', boots, async (run) => {
    const session = await GuestSession.start({ topology: defaultTopology });
    console.error(`boot ${run + 1}/${boots}: ${(session.bootMs / 1000).toFixed(2)} s to hello`);
    await session.stop();
    return session.bootMs;
  });
