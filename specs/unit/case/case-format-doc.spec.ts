import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCase } from '../../../harness/case/parse-case';

const doc = readFileSync(join(__dirname, '../../../docs/case-format.md'), 'utf8');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(([, block]) => block.trim());
const TEST_UNIT_READY = '{ "cdb": "00 00 00 00 00 00", "dir": "none" }';

/** A documented fragment (a whole case, a top-level field, or one step) as a whole case. */
const asCase = (block: string): string => {
  if (block.includes('"format"')) return block;
  if (block.startsWith('"')) return `{ "format": "hbadiff-case/1", ${block}, "steps": [${TEST_UNIT_READY}] }`;
  return `{ "format": "hbadiff-case/1", "steps": [${block}] }`;
};

describe('docs/case-format.md', () => {
  it('has examples', () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(jsonBlocks)('holds only valid examples: %s', (block) => {
    expect(() => parseCase(asCase(block), 'docs/case-format.md')).not.toThrow();
  });
});
