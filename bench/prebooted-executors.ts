import { GuestExecutors } from '../harness/campaign/guest-executors';
import { Executor } from '../harness/execute/executor';
import { ExecutorSource } from '../harness/execute/restarting-executor';

/** A campaign's guests booted before its clock starts, so that its rate is of cases, not of a boot; reboots after crashes still count. */
export class PrebootedExecutors implements ExecutorSource {
  private constructor(
    readonly guests: GuestExecutors,
    private first: Executor | undefined,
  ) {}

  static async boot(guests: GuestExecutors): Promise<PrebootedExecutors> {
    return new PrebootedExecutors(guests, await guests.open());
  }

  async open(): Promise<Executor> {
    const first = this.first;
    this.first = undefined;
    return first ?? this.guests.open();
  }

  replace(): Promise<Executor> {
    this.first = undefined;
    return this.guests.replace();
  }

  close(): Promise<void> {
    return this.guests.close();
  }
}
