import { GuestExecutor } from '../execute/guest-executor';
import { GuestSession, SessionOptions } from '../session/guest-session';
import { ExecutorSource } from '../execute/restarting-executor';

/** Boots a guest for the campaign, and a fresh one after the last crashed or hung. */
export class GuestExecutors implements ExecutorSource {
  private current: GuestSession | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly onBoot: (session: GuestSession) => void = () => undefined,
  ) {}

  get session(): GuestSession | undefined {
    return this.current;
  }

  async open(): Promise<GuestExecutor> {
    this.current = await GuestSession.start(this.options);
    this.onBoot(this.current);
    return new GuestExecutor(this.current);
  }

  async close(): Promise<void> {
    const session = this.current;
    this.current = undefined;
    await session?.stop();
  }
}
