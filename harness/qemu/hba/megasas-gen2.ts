import { megasasTrace } from './megasas-trace';
import { megaraidSasAnswersSyncCache, megasasCdbBytes } from './megasas';
import { busDriver, targetRange } from './hba-driver';

/** LSI MegaRAID SAS 2108, the same emulation with the gen2 register layout. */
export const megasasGen2 = busDriver({
  model: 'megasas-gen2',
  qemuDevice: 'megasas-gen2',
  guestDriver: 'megaraid_sas',
  guestModule: 'megaraid_sas',
  usableTargets: targetRange(0, 64),
  maxCdbBytes: megasasCdbBytes,
  guestResets: ['host'],
  trace: megasasTrace,
  intendedDifferences: megaraidSasAnswersSyncCache('megasas-gen2'),
});
