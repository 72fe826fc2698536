import { GuestSession, SessionOptions } from '../../harness/session/guest-session';

/** Boots one guest for the enclosing describe block and stops it after: what every guest spec starts with. */
export const bootedGuest = (options: SessionOptions = {}): { readonly session: GuestSession } => {
  let booted: GuestSession | undefined;
  beforeAll(async () => {
    booted = await GuestSession.start(options);
  }, 240_000);
  afterAll(async () => {
    await booted?.stop();
  }, 60_000);
  return {
    get session(): GuestSession {
      if (!booted) throw new Error('the guest did not boot (see the beforeAll error)');
      return booted;
    },
  };
};
