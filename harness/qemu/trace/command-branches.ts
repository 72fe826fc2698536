import { CodeBranch } from './code-branch';
import { TraceEvent } from './qemu-trace';
import { scsiRequestEvents, scsiRequestOf } from './scsi-layer-trace';
import { TraceCatalog } from './trace-catalog';

/** The events of one command, from where QEMU took it to where the next one begins. */
interface CommandWindow {
  target: number | undefined;
  opcode: number | undefined;
  /** Whether the SCSI layer has opened its request yet: a second parse event begins another command. */
  parsed: boolean;
  readonly events: TraceEvent[];
}

/** One command the guest sent, as the trace can recognise it. */
export interface SentCommand {
  readonly target: number;
  readonly opcode: number;
  /** False where the guest refused it before QEMU saw it (SG_IO failed with an errno). */
  readonly reached: boolean;
  /** Where the guest's driver answers this command itself (harness/qemu/hba), the branch it took: QEMU never saw it. */
  readonly answeredByGuest?: CodeBranch;
  /** One of a group in flight at once: its HBA may have taken it before a command sent ahead of it. */
  readonly queued?: boolean;
}

/**
 * The trace cut into commands: a window opens at an HBA's receive event, or at a SCSI-layer parse event that
 * no receive event opened; the receive event names the target where it can, the parse event otherwise.
 */
const requestEvents: ReadonlySet<string> = new Set(scsiRequestEvents);

const windowsOf = (events: readonly TraceEvent[], catalog: TraceCatalog): CommandWindow[] => {
  const windows: CommandWindow[] = [];
  let current: CommandWindow | undefined;
  for (const event of events) {
    const receive = catalog.receive.get(event.name);
    const request = !receive && requestEvents.has(event.name) ? scsiRequestOf(event.args) : undefined;
    if (receive) {
      current = { target: receive.targetOf?.(event.args), opcode: receive.opcodeOf?.(event.args), parsed: false, events: [] };
      windows.push(current);
    } else if (request && (!current || current.parsed)) {
      current = { target: request.target, opcode: request.opcode, parsed: true, events: [] };
      windows.push(current);
    } else if (request && current) {
      current.parsed = true;
      current.target ??= request.target;
    }
    current?.events.push(event);
  }
  return windows;
};

const fits = (window: CommandWindow, command: SentCommand): boolean =>
  (window.target === undefined || window.target === command.target) && (window.opcode === undefined || window.opcode === command.opcode);

const branchesIn = (window: CommandWindow, catalog: TraceCatalog): CodeBranch[] => {
  const found = new Map<string, CodeBranch>();
  for (const event of window.events) {
    const branch = catalog.branches.get(event.name);
    if (!branch) continue;
    const which = branch.branchOf ? branch.branchOf(event.args) : '';
    if (which === undefined) continue;
    const name = which === '' ? branch.event : `${branch.event} ${which}`;
    found.set(name, { name, decides: branch.decides, ...(branch.route && { route: true }) });
  }
  return [...found.values()];
};

/**
 * Per command sent, in order, the error branches QEMU took for it. The guest sends one command at a time,
 * so the trace holds them in the same order; a window whose target or operation code does not fit the next
 * command is a command of the guest's own (its error handler's TEST UNIT READY, say) and is passed over. A
 * group of queued commands reaches QEMU in whatever order the HBAs take them (each HBA in the order sent),
 * so each of the group takes the first window from the group's start on that fits it and no other took; QEMU
 * takes each request whole (receive, parse, map, emulate) before the next, so the branches it takes then fall
 * in the request's own window, and only one taken at completion may fall in another's.
 */
export const commandBranches = (events: readonly TraceEvent[], catalog: TraceCatalog, commands: readonly SentCommand[]): CodeBranch[][] => {
  const windows = windowsOf(events, catalog);
  const taken = new Set<number>();
  let next = 0;
  let groupStart = 0;
  return commands.map((command, position) => {
    if (command.queued && !commands[position - 1]?.queued) groupStart = next;
    if (command.answeredByGuest) return [command.answeredByGuest];
    if (!command.reached) return [];
    const from = command.queued ? groupStart : next;
    const index = windows.findIndex((window, at) => at >= from && !taken.has(at) && fits(window, command));
    if (index < 0) return [];
    taken.add(index);
    next = Math.max(next, index + 1);
    return branchesIn(windows[index], catalog);
  });
};
