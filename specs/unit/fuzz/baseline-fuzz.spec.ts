import { fc } from '@fast-check/jest';
import { readFileSync } from 'node:fs';
import { baselineFileFor, parseBaselineDocument } from '../../../harness/baseline/load-baseline';
import { describeLoaderFuzz } from './loader-fuzz';

const shipped = JSON.parse(readFileSync(baselineFileFor('7.2.22'), 'utf8')) as { entries: object[] };

/** Baselines the loader accepts: the shipped one's header with any few of its entries. */
const validBaselineText = fc
  .subarray(shipped.entries.slice(0, 12))
  .map((entries) => JSON.stringify({ format: 'hbadiff-baseline/1', qemuVersion: '7.2.22', packageVersion: 'Debian 1:7.2', entries }));

describeLoaderFuzz('parseBaselineDocument', {
  source: 'baseline.json',
  parse: parseBaselineDocument,
  validText: validBaselineText,
  fieldNames: ['format', 'qemuVersion', 'packageVersion', 'entries', 'signature', 'text', 'reason', 'case'],
  awkwardValues: ['hbadiff-baseline/1', '7.2.22', '', 'edd4dc1cf1d0', 'EDD4DC1CF1D0', '../../etc/passwd', 'x'.repeat(10_000)],
  checkAccepted: (document) => expect(new Set(document.entries.map((entry) => entry.signature)).size).toBe(document.entries.length),
});
