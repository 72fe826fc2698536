import { megasasTrace } from './megasas-trace';
import { busDriver, targetRange } from './hba-driver';

/** LSI MegaRAID SAS 2108, the same emulation with the gen2 register layout. */
export const megasasGen2 = busDriver('megasas-gen2', 'megasas-gen2', 'megaraid_sas', targetRange(0, 64), megasasTrace);
