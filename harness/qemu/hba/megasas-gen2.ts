import { megaraidSasAnswersSyncCache, megasas } from './megasas';

/** LSI MegaRAID SAS 2108, the same emulation with the gen2 register layout, driven by megaraid_sas too. */
export const megasasGen2 = { ...megasas, model: 'megasas-gen2', qemuDevice: 'megasas-gen2', intendedDifferences: megaraidSasAnswersSyncCache('megasas-gen2') } as const;
