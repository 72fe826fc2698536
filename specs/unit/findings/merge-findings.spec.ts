import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../harness/errors/user-error';
import { mergeFindings } from '../../../harness/findings/merge-findings';

describe('mergeFindings', () => {
  let root: string;
  const shard = (name: string, findings: Record<string, string>, log: string): string => {
    const dir = join(root, name);
    for (const [id, text] of Object.entries(findings)) {
      mkdirSync(join(dir, id), { recursive: true });
      writeFileSync(join(dir, id, 'case.json'), text);
      writeFileSync(join(dir, id, 'report.md'), `# ${name} ${id}\n`);
    }
    writeFileSync(join(dir, 'commands.jsonl'), log);
    return dir;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hbadiff-merge-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('unions the signatures, keeps the first copy of a shared one, and appends every command log', () => {
    const a = shard('a', { '0123456789ab': 'case a1', aaaaaaaaaaaa: 'case a2' }, '{"case":0}\n');
    const b = shard('b', { '0123456789ab': 'case b1', bbbbbbbbbbbb: 'case b2' }, '{"case":1}\n');
    const out = join(root, 'out');
    const merged = mergeFindings(out, [a, b]);
    expect(merged.added).toEqual([
      { from: a, signatures: ['0123456789ab', 'aaaaaaaaaaaa'] },
      { from: b, signatures: ['bbbbbbbbbbbb'] },
    ]);
    expect(merged.duplicates).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['0123456789ab', 'aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'commands.jsonl']);
    expect(readFileSync(join(out, '0123456789ab', 'case.json'), 'utf8')).toBe('case a1');
    expect(readFileSync(join(out, 'commands.jsonl'), 'utf8')).toBe('{"case":0}\n{"case":1}\n');
  });

  it('leaves alone what is not a finding, and adds nothing twice when merged again', () => {
    const a = shard('a', { '0123456789ab': 'case a1' }, '');
    mkdirSync(join(a, 'not-a-signature'));
    const out = join(root, 'out');
    mergeFindings(out, [a]);
    expect(mergeFindings(out, [a]).added).toEqual([{ from: a, signatures: [] }]);
    expect(readdirSync(out).sort()).toEqual(['0123456789ab', 'commands.jsonl']);
  });

  it('refuses a directory that does not exist, in one line', () => {
    expect(() => mergeFindings(join(root, 'out'), [join(root, 'missing')])).toThrow(UserError);
    expect(() => mergeFindings(join(root, 'out'), [join(root, 'missing')])).toThrow(/missing: no such findings directory$/);
  });
});
