import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { fixedVpdPage } from './vpd-page';

/** Extended INQUIRY Data (SPC-5). */
const extendedInquiryDataFields = {
  activateMicrocode: number('ACTIVATE MICROCODE', bitsIn(4, 7, 2)),
  spt: number('SPT', bitsIn(4, 5, 3)),
  grdChk: flag('GRD_CHK', 4, 2),
  appChk: flag('APP_CHK', 4, 1),
  refChk: flag('REF_CHK', 4, 0),
  uaskSup: flag('UASK_SUP', 5, 5),
  groupSup: flag('GROUP_SUP', 5, 4),
  priorSup: flag('PRIOR_SUP', 5, 3),
  headsup: flag('HEADSUP', 5, 2),
  ordsup: flag('ORDSUP', 5, 1),
  simpsup: flag('SIMPSUP', 5, 0),
  wuSup: flag('WU_SUP', 6, 3),
  crdSup: flag('CRD_SUP', 6, 2),
  nvSup: flag('NV_SUP', 6, 1),
  vSup: flag('V_SUP', 6, 0),
  noPiChk: flag('NO_PI_CHK', 7, 5),
  pIISup: flag('P_I_I_SUP', 7, 4),
  luiclr: flag('LUICLR', 7, 0),
  rSup: flag('R_SUP', 8, 4),
  hssrelef: flag('HSSRELEF', 8, 1),
  cbcs: flag('CBCS', 8, 0),
  multiItNexusMicrocodeDownload: number('MULTI I_T NEXUS MICROCODE DOWNLOAD', bitsIn(9, 3, 4)),
  extendedSelfTestCompletionMinutes: number('EXTENDED SELF-TEST COMPLETION MINUTES', wholeBytes(10, 2)),
  poaSup: flag('POA_SUP', 12, 7),
  hraSup: flag('HRA_SUP', 12, 6),
  vsaSup: flag('VSA_SUP', 12, 5),
  maximumSupportedSenseDataLength: number('MAXIMUM SUPPORTED SENSE DATA LENGTH', wholeBytes(13, 1)),
};

const page = fixedVpdPage('extended INQUIRY data', 0x86, 0x3c, extendedInquiryDataFields);
export const decodeExtendedInquiryData = page.decode;
export const describeExtendedInquiryData = page.describe;
export type ExtendedInquiryData = ReturnType<typeof decodeExtendedInquiryData>;
