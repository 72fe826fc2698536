import { BlockContent } from './block-content';

/** A fact about the device the model holds, or admits it does not know (after a reset, before it asked). */
export type Known<T> = { readonly known: true; readonly value: T } | { readonly known: false };

export const known = <T>(value: T): Known<T> => ({ known: true, value });
export const unknown: Known<never> = { known: false };

/** Registrations and the reservation of the persistent reservations (SPC-5 5.13), seen from the one I_T nexus. */
export interface PersistentReservations {
  /** This nexus's registered key; undefined when it is not registered. */
  readonly key: bigint | undefined;
  /** The TYPE of the reservation this nexus holds, if any. */
  readonly type: number | undefined;
}

/**
 * What the device chose where the standard lets it choose, recorded from its answers so that later answers
 * are judged against them: which commands it implements, its INQUIRY data and VPD pages, its mode pages.
 */
export interface DeviceChoices {
  /** By command key (`28`, `9e/10`): whether the device implements it. */
  readonly supported: Map<string, boolean>;
  /** By page (`standard`, `b0`, …): the longest INQUIRY answer seen. */
  readonly inquiry: Map<string, Buffer>;
  /** By `<page>/<subpage>/<pc>`: the page's bytes as MODE SENSE returned them (PS bit cleared). */
  readonly modePages: Map<string, Buffer>;
  /** Pages MODE SENSE rejected as not implemented, by `<page>/<subpage>`. */
  readonly absentModePages: Set<string>;
  /** Whether MODE SENSE with PC 11b (saved values) is implemented. */
  savedPages: Known<boolean>;
  /** Descriptor format sense data for REQUEST SENSE with DESC. */
  descriptorSense: Known<boolean>;
}

/** The state of a direct-access block device the model carries through a sequence of commands. */
export class DeviceState {
  blockBytes: number;
  content: BlockContent;
  /** START STOP UNIT with START 0 stops the unit (SBC-4 4.20); unknown after a reset. */
  stopped: Known<boolean> = known(false);
  /**
   * The UNIT ATTENTIONs (ASC, and ASCQ where one is meant) the device may report next: a reset's or the power-on's
   * before the first command (the guest kernel may have taken it first), a new capacity's. Empty: none.
   */
  possibleAttentions: (readonly [asc: number, ascq: number | undefined])[] = [[0x29, undefined]];
  /** False while the host has the device unplugged. */
  present = true;
  /**
   * False once a host I/O error is armed: what QEMU makes of it (an error, a retry after a stop) depends on the
   * disk's werror/rerror, which the model does not know, so it judges nothing of the path after it.
   */
  followed = true;
  /** An SPC-2 RESERVE held by this nexus. */
  reserved: Known<boolean> = unknown;
  persistent: Known<PersistentReservations> = unknown;
  readonly choices: DeviceChoices = {
    supported: new Map(),
    inquiry: new Map(),
    modePages: new Map(),
    absentModePages: new Set(),
    savedPages: unknown,
    descriptorSense: unknown,
  };

  constructor(initial: Buffer, blockBytes: number) {
    this.blockBytes = blockBytes;
    this.content = new BlockContent(initial);
  }

  /** A copy that changes apart from this one: to judge a group of queued commands in each order it may have run in. */
  clone(): DeviceState {
    const copy = new DeviceState(this.content.initial, this.blockBytes);
    copy.content = this.content.clone();
    copy.stopped = this.stopped;
    copy.possibleAttentions = [...this.possibleAttentions];
    copy.present = this.present;
    copy.followed = this.followed;
    copy.reserved = this.reserved;
    copy.persistent = this.persistent;
    const { choices } = copy;
    for (const [key, value] of this.choices.supported) choices.supported.set(key, value);
    for (const [key, value] of this.choices.inquiry) choices.inquiry.set(key, value);
    for (const [key, value] of this.choices.modePages) choices.modePages.set(key, value);
    for (const page of this.choices.absentModePages) choices.absentModePages.add(page);
    choices.savedPages = this.choices.savedPages;
    choices.descriptorSense = this.choices.descriptorSense;
    return copy;
  }

  get blocks(): number {
    return Math.floor(this.content.bytes / this.blockBytes);
  }

  /**
   * The device as a case finds it after cases the model did not follow: its content and block length as the
   * executor restores them, and whatever else a case can leave behind (a stopped unit, a unit attention, a
   * reservation) open.
   */
  static afterEarlierCases(initial: Buffer, blockBytes: number): DeviceState {
    const state = new DeviceState(initial, blockBytes);
    state.stopped = unknown;
    return state;
  }

  /** LBPRZ, as READ CAPACITY (16) or the Logical Block Provisioning VPD page reported it. */
  get lbprz(): boolean {
    const page = this.choices.inquiry.get('b2');
    const capacity = this.choices.inquiry.get('rc16');
    return (page !== undefined && page.length > 5 && (page[5] & 0x1c) !== 0) || (capacity !== undefined && (capacity[14] & 0x40) !== 0);
  }

  /** The Block Limits VPD page, once the device has returned it. */
  get blockLimits(): Buffer | undefined {
    return this.choices.inquiry.get('b0');
  }

  /** PROTECT in the standard INQUIRY data: whether protection information fields may be nonzero. */
  get protect(): Known<boolean> {
    const standard = this.choices.inquiry.get('standard');
    return standard && standard.length > 5 ? known((standard[5] & 1) === 1) : unknown;
  }

  private addAttention(asc: number, ascq: number | undefined): void {
    if (!this.possibleAttentions.some(([a, q]) => a === asc && q === ascq)) this.possibleAttentions.push([asc, ascq]);
  }

  /**
   * What a new capacity does (SBC-4 4.6, SPC-5 5.14): the medium cut to `bytes` or grown by blocks of zeroes, as
   * QEMU grows a file, and CAPACITY DATA HAS CHANGED for the next command.
   */
  resize(bytes: number): void {
    this.content = this.content.resized(bytes);
    this.addAttention(0x2a, 0x09);
  }

  /**
   * A device plugged in while the guest runs (SAM-5 5.14, SPC-5 5.14): as after a power on, and the HBA may
   * say on every LUN behind it that REPORTED LUNS DATA HAS CHANGED. The medium is the one it had.
   */
  pluggedIn(): void {
    this.present = true;
    this.reset();
    this.addAttention(0x3f, 0x0e);
  }

  /** What a reset does (SAM-5, SPC-2 5.5.3, SPC-5 7.5.2): a unit attention, SPC-2 reservations and current mode values gone. */
  reset(): void {
    this.addAttention(0x29, undefined);
    this.reserved = known(false);
    this.stopped = unknown;
    for (const key of [...this.choices.modePages.keys()]) if (key.endsWith('/0')) this.choices.modePages.delete(key);
  }
}
