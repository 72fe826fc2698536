import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { namedModePage } from './mode-page';

/** Control mode page (SPC-5): D_SENSE asks for descriptor format sense data. */
export const controlPage = namedModePage('control', 0x0a, 0x0a, {
  tst: number('TST', bitsIn(2, 7, 3), { names: { 0: 'one task set', 1: 'a task set per I_T nexus' }, othersReserved: true }),
  tmfOnly: flag('TMF_ONLY', 2, 4),
  dpicz: flag('DPICZ', 2, 3),
  dSense: flag('D_SENSE', 2, 2),
  gltsd: flag('GLTSD', 2, 1),
  rlec: flag('RLEC', 2, 0),
  queueAlgorithmModifier: number('QUEUE ALGORITHM MODIFIER', bitsIn(3, 7, 4), {
    names: { 0: 'restricted reordering', 1: 'unrestricted reordering allowed' },
  }),
  nuar: flag('NUAR', 3, 3),
  qerr: number('QERR', bitsIn(3, 2, 2)),
  rac: flag('RAC', 4, 6),
  uaInterlockControl: number('UA_INTLCK_CTRL', bitsIn(4, 5, 2)),
  swp: flag('SWP', 4, 3),
  ato: flag('ATO', 5, 7),
  tas: flag('TAS', 5, 6),
  atmpe: flag('ATMPE', 5, 5),
  rwwp: flag('RWWP', 5, 4),
  sblp: flag('SBLP', 5, 3),
  autoloadMode: number('AUTOLOAD MODE', bitsIn(5, 2, 3)),
  busyTimeoutPeriod: number('BUSY TIMEOUT PERIOD', wholeBytes(8, 2)),
  extendedSelfTestCompletionTime: number('EXTENDED SELF-TEST COMPLETION TIME', wholeBytes(10, 2)),
});
