import { CommandLayout } from '../scsi/layout/command-layout';
import * as scsi from '../scsi/opcodes';
import { CommandContext } from './command-context';
import { ModelAnswer } from './model-answer';
import { compareAndWriteAnswer, readAnswer, verifyAnswer, writeAndVerifyAnswer, writeAnswer } from './commands/block-access';
import { readCapacity10Answer, readCapacity16Answer } from './commands/capacity';
import { receiveDiagnosticResultsAnswer, sendDiagnosticAnswer } from './commands/diagnostics';
import { inquiryAnswer } from './commands/inquiry';
import { modeSelectAnswer } from './commands/mode-select';
import { modeSenseAnswer } from './commands/mode-sense';
import { otherCommandAnswer } from './commands/other-commands';
import { persistentReserveInAnswer, persistentReserveOutAnswer } from './commands/persistent-reservations';
import { getLbaStatusAnswer, synchronizeCacheAnswer, unmapAnswer } from './commands/provisioning';
import { reportLunsAnswer, reportSupportedOperationCodesAnswer } from './commands/reporting';
import { reserveReleaseAnswer } from './commands/reservations';
import { preventAllowAnswer, requestSenseAnswer, startStopUnitAnswer, testUnitReadyAnswer } from './commands/sense-and-readiness';
import { writeSameAnswer } from './commands/write-same';
import { optional } from './support';

type Family = (context: CommandContext) => ModelAnswer;

/** ATA PASS-THROUGH (SAT-4) is for a SCSI device in front of an ATA one: optional here, and not followed. */
const ataPassThroughAnswer: Family = (context) => optional(context, otherCommandAnswer(context.cdb, context.state));

/** Every command of the SCSI layer's table, and the model's family that answers it. */
export const commandFamilies = new Map<CommandLayout, Family>([
  [scsi.testUnitReadyLayout, testUnitReadyAnswer],
  [scsi.requestSenseLayout, requestSenseAnswer],
  [scsi.read6Layout, readAnswer],
  [scsi.read10Layout, readAnswer],
  [scsi.read12Layout, readAnswer],
  [scsi.read16Layout, readAnswer],
  [scsi.write6Layout, writeAnswer],
  [scsi.write10Layout, writeAnswer],
  [scsi.write12Layout, writeAnswer],
  [scsi.write16Layout, writeAnswer],
  [scsi.writeAndVerify10Layout, writeAndVerifyAnswer],
  [scsi.writeAndVerify16Layout, writeAndVerifyAnswer],
  [scsi.verify10Layout, verifyAnswer],
  [scsi.verify16Layout, verifyAnswer],
  [scsi.compareAndWriteLayout, compareAndWriteAnswer],
  [scsi.writeSame10Layout, writeSameAnswer],
  [scsi.writeSame16Layout, writeSameAnswer],
  [scsi.unmapLayout, unmapAnswer],
  [scsi.getLbaStatusLayout, getLbaStatusAnswer],
  [scsi.synchronizeCache10Layout, synchronizeCacheAnswer],
  [scsi.synchronizeCache16Layout, synchronizeCacheAnswer],
  [scsi.readCapacity10Layout, readCapacity10Answer],
  [scsi.readCapacity16Layout, readCapacity16Answer],
  [scsi.inquiryLayout, inquiryAnswer],
  [scsi.modeSense6Layout, modeSenseAnswer],
  [scsi.modeSense10Layout, modeSenseAnswer],
  [scsi.modeSelect6Layout, modeSelectAnswer],
  [scsi.modeSelect10Layout, modeSelectAnswer],
  [scsi.startStopUnitLayout, startStopUnitAnswer],
  [scsi.preventAllowMediumRemovalLayout, preventAllowAnswer],
  [scsi.reportLunsLayout, reportLunsAnswer],
  [scsi.reportSupportedOperationCodesLayout, reportSupportedOperationCodesAnswer],
  [scsi.sendDiagnosticLayout, sendDiagnosticAnswer],
  [scsi.receiveDiagnosticResultsLayout, receiveDiagnosticResultsAnswer],
  [scsi.reserve6Layout, reserveReleaseAnswer],
  [scsi.release6Layout, reserveReleaseAnswer],
  [scsi.reserve10Layout, reserveReleaseAnswer],
  [scsi.release10Layout, reserveReleaseAnswer],
  [scsi.persistentReserveInLayout, persistentReserveInAnswer],
  [scsi.persistentReserveOutLayout, persistentReserveOutAnswer],
  [scsi.ataPassThrough12Layout, ataPassThroughAnswer],
  [scsi.ataPassThrough16Layout, ataPassThroughAnswer],
]);

/** Commands that touch the medium: refused while the unit is stopped (SBC-4 4.20.3). */
export const mediaAccess = new Set<CommandLayout>([
  scsi.testUnitReadyLayout,
  scsi.read6Layout,
  scsi.read10Layout,
  scsi.read12Layout,
  scsi.read16Layout,
  scsi.write6Layout,
  scsi.write10Layout,
  scsi.write12Layout,
  scsi.write16Layout,
  scsi.writeAndVerify10Layout,
  scsi.writeAndVerify16Layout,
  scsi.verify10Layout,
  scsi.verify16Layout,
  scsi.compareAndWriteLayout,
  scsi.writeSame10Layout,
  scsi.writeSame16Layout,
  scsi.unmapLayout,
  scsi.synchronizeCache10Layout,
  scsi.synchronizeCache16Layout,
]);

/** SAM-5 5.14: INQUIRY, REPORT LUNS and REQUEST SENSE neither report nor clear a unit attention. */
export const unitAttentionExempt = new Set<CommandLayout>([scsi.inquiryLayout, scsi.reportLunsLayout, scsi.requestSenseLayout]);
