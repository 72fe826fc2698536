import { CommandLayout } from '../layout/command-layout';
import { ataPassThrough12Layout, ataPassThrough16Layout } from './ata-pass-through';
import { compareAndWriteLayout } from './compare-and-write';
import { receiveDiagnosticResultsLayout, sendDiagnosticLayout } from './diagnostics';
import { getLbaStatusLayout } from './get-lba-status';
import { inquiryLayout } from './inquiry';
import { modeSelect10Layout, modeSelect6Layout } from './mode-select';
import { modeSense10Layout, modeSense6Layout } from './mode-sense';
import { persistentReserveInLayout, persistentReserveOutLayout } from './persistent-reserve';
import { preventAllowMediumRemovalLayout } from './prevent-allow-medium-removal';
import { read10Layout, read12Layout, read16Layout, read6Layout } from './read';
import { readCapacity10Layout, readCapacity16Layout } from './read-capacity';
import { reportLunsLayout } from './report-luns';
import { reportSupportedOperationCodesLayout } from './report-supported-operation-codes';
import { requestSenseLayout } from './request-sense';
import { release10Layout, release6Layout, reserve10Layout, reserve6Layout } from './reserve-release';
import { startStopUnitLayout } from './start-stop-unit';
import { synchronizeCache10Layout, synchronizeCache16Layout } from './synchronize-cache';
import { testUnitReadyLayout } from './test-unit-ready';
import { unmapLayout } from './unmap';
import { verify10Layout, verify16Layout } from './verify';
import { write10Layout, write12Layout, write16Layout, write6Layout } from './write';
import { writeAndVerify10Layout, writeAndVerify16Layout } from './write-and-verify';
import { writeSame10Layout, writeSame16Layout } from './write-same';

/**
 * Every command this layer knows, in opcode order: its name, CDB length, data direction, fields, and how
 * many bytes it moves.
 */
export const commandTable: readonly CommandLayout[] = [
  testUnitReadyLayout,
  requestSenseLayout,
  read6Layout,
  write6Layout,
  inquiryLayout,
  modeSelect6Layout,
  reserve6Layout,
  release6Layout,
  modeSense6Layout,
  startStopUnitLayout,
  receiveDiagnosticResultsLayout,
  sendDiagnosticLayout,
  preventAllowMediumRemovalLayout,
  readCapacity10Layout,
  read10Layout,
  write10Layout,
  writeAndVerify10Layout,
  verify10Layout,
  synchronizeCache10Layout,
  writeSame10Layout,
  unmapLayout,
  modeSelect10Layout,
  reserve10Layout,
  release10Layout,
  modeSense10Layout,
  persistentReserveInLayout,
  persistentReserveOutLayout,
  ataPassThrough16Layout,
  read16Layout,
  compareAndWriteLayout,
  write16Layout,
  writeAndVerify16Layout,
  verify16Layout,
  synchronizeCache16Layout,
  writeSame16Layout,
  readCapacity16Layout,
  getLbaStatusLayout,
  reportLunsLayout,
  ataPassThrough12Layout,
  reportSupportedOperationCodesLayout,
  read12Layout,
  write12Layout,
];

/** What a CDB's first bytes select: a command, or an opcode whose service action this table lacks. */
export type CommandLookup =
  | { readonly found: true; readonly layout: CommandLayout }
  | { readonly found: false; readonly serviceActionOpcode: boolean };

const serviceActionOf = (bytes: Uint8Array): number => (bytes[1] ?? 0) & 0x1f;

export const lookUpCommand = (bytes: Uint8Array): CommandLookup => {
  const candidates = commandTable.filter((layout) => layout.opcode === bytes[0]);
  const layout = candidates.find((candidate) => candidate.serviceAction === undefined || candidate.serviceAction === serviceActionOf(bytes));
  if (layout) return { found: true, layout };
  return { found: false, serviceActionOpcode: candidates.length > 0 };
};
