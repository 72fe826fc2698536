import { flag, number } from '../../layout/field';
import { bitsIn, wholeBytes } from '../../layout/field-place';
import { namedModePage } from './mode-page';

/** Caching mode page (SBC-4): WCE turns the write cache on, RCD the read cache off. */
export const cachingPage = namedModePage('caching', 0x08, 0x12, {
  ic: flag('IC', 2, 7),
  abpf: flag('ABPF', 2, 6),
  cap: flag('CAP', 2, 5),
  disc: flag('DISC', 2, 4),
  size: flag('SIZE', 2, 3),
  wce: flag('WCE', 2, 2),
  mf: flag('MF', 2, 1),
  rcd: flag('RCD', 2, 0),
  demandReadRetentionPriority: number('DEMAND READ RETENTION PRIORITY', bitsIn(3, 7, 4)),
  writeRetentionPriority: number('WRITE RETENTION PRIORITY', bitsIn(3, 3, 4)),
  disablePrefetchTransferLength: number('DISABLE PRE-FETCH TRANSFER LENGTH', wholeBytes(4, 2)),
  minimumPrefetch: number('MINIMUM PRE-FETCH', wholeBytes(6, 2)),
  maximumPrefetch: number('MAXIMUM PRE-FETCH', wholeBytes(8, 2)),
  maximumPrefetchCeiling: number('MAXIMUM PRE-FETCH CEILING', wholeBytes(10, 2)),
  fsw: flag('FSW', 12, 7),
  lbcss: flag('LBCSS', 12, 6),
  dra: flag('DRA', 12, 5),
  syncProg: number('SYNC_PROG', bitsIn(12, 2, 2)),
  nvDis: flag('NV_DIS', 12, 0),
  numberOfCacheSegments: number('NUMBER OF CACHE SEGMENTS', wholeBytes(13, 1)),
  cacheSegmentSize: number('CACHE SEGMENT SIZE', wholeBytes(14, 2)),
});
