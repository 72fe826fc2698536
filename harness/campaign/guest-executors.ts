import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dir } from 'tmp-promise';
import { GuestExecutor } from '../execute/guest-executor';
import { BootedState, GuestSession, SessionOptions } from '../session/guest-session';
import { ExecutorSource } from '../execute/restarting-executor';
import { reaper } from '../process/reaper';

/**
 * Boots a guest for the campaign, and a fresh one after the last crashed or hung: the first boot's state is
 * saved once (a migration stream of the booted guest), and every later guest is that state resumed on fresh
 * disks and a fresh target, which takes a fraction of a boot.
 */
export class GuestExecutors implements ExecutorSource {
  private current: GuestSession | undefined;
  private saved: { readonly state: BootedState; readonly directory: string } | undefined;
  /** Why this QEMU could not save a booted guest's state: said once, and not tried again. */
  private unsavable: string | undefined;

  constructor(
    private readonly options: SessionOptions,
    /** Told of each guest; `unsaved` says why a booted guest's state could not be saved, so that every fresh guest boots. */
    private readonly onBoot: (session: GuestSession, unsaved?: string) => void = () => undefined,
  ) {}

  get session(): GuestSession | undefined {
    return this.current;
  }

  async open(): Promise<GuestExecutor> {
    if (this.saved) {
      this.current = await GuestSession.resume(this.saved.state, this.options);
      this.onBoot(this.current);
    } else {
      const { session, unsaved } = await this.bootAndSave();
      this.current = session;
      this.onBoot(session, unsaved);
    }
    return new GuestExecutor(this.current);
  }

  async replace(): Promise<GuestExecutor> {
    await this.stopCurrent();
    return this.open();
  }

  async close(): Promise<void> {
    await this.stopCurrent();
    const saved = this.saved;
    this.saved = undefined;
    if (saved) {
      await rm(saved.directory, { recursive: true, force: true });
      reaper.forgetPath(saved.directory);
    }
  }

  /** A QEMU that cannot save its state (no exec: migration, a device that blocks it) still gets guests: booted ones. */
  private async bootAndSave(): Promise<{ session: GuestSession; unsaved?: string }> {
    const session = await GuestSession.start(this.options);
    if (this.unsavable !== undefined) return { session };
    const directory = (await dir({ prefix: 'hbadiff-state-', mode: 0o700 })).path;
    reaper.watchPath(directory);
    try {
      this.saved = { state: await session.saveState(join(directory, 'booted.migration')), directory };
      return { session };
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      reaper.forgetPath(directory);
      if (session.machine.exit) throw error;
      this.unsavable = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { session, unsaved: this.unsavable };
    }
  }

  private async stopCurrent(): Promise<void> {
    const session = this.current;
    this.current = undefined;
    await session?.stop();
  }
}
