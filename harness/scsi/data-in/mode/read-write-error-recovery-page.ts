import { flag, number } from '../../layout/field';
import { wholeBytes } from '../../layout/field-place';
import { namedModePage } from './mode-page';

/** Read-Write Error Recovery mode page (SBC-4); bytes 4-6 are obsolete. */
export const readWriteErrorRecoveryPage = namedModePage('read-write error recovery', 0x01, 0x0a, {
  awre: flag('AWRE', 2, 7),
  arre: flag('ARRE', 2, 6),
  tb: flag('TB', 2, 5),
  rc: flag('RC', 2, 4),
  eer: flag('EER', 2, 3),
  per: flag('PER', 2, 2),
  dte: flag('DTE', 2, 1),
  dcr: flag('DCR', 2, 0),
  readRetryCount: number('READ RETRY COUNT', wholeBytes(3, 1)),
  lbpere: flag('LBPERE', 7, 7),
  writeRetryCount: number('WRITE RETRY COUNT', wholeBytes(8, 1)),
  recoveryTimeLimit: number('RECOVERY TIME LIMIT', wholeBytes(10, 2)),
});
