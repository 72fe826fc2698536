import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase, loadCaseDirectory } from '../../../harness/case/load-case';
import { serializeCase } from '../../../harness/case/serialize-case';
import { UserError } from '../../../harness/errors/user-error';

const GOOD = '{ "format": "hbadiff-case/1", "steps": [{ "cdb": "00 00 00 00 00 00", "dir": "none" }] }';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hbadiff-cases-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCase', () => {
  it('reads and parses a file', async () => {
    writeFileSync(join(dir, 'tur.json'), GOOD);
    const loaded = await loadCase(join(dir, 'tur.json'));
    expect(loaded.steps).toHaveLength(1);
    expect(serializeCase(loaded)).toContain('"cdb": "00 00 00 00 00 00"');
  });

  it('names the file in a one-line UserError when it cannot be read', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadCase(missing)).rejects.toThrow(
      new UserError(`${missing}: cannot read: ENOENT: no such file or directory`),
    );
  });

  it('names the file and the field when the case is bad', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, GOOD.replace('"none"', '"sideways"'));
    await expect(loadCase(file)).rejects.toThrow(
      `${file}: steps[0].dir: must be one of "none", "from-device", "to-device", not "sideways"`,
    );
  });

  it('passes the maximum buffer size on', async () => {
    const file = join(dir, 'read.json');
    writeFileSync(file, GOOD.replace('"dir": "none"', '"dir": "from-device", "length": 100'));
    await expect(loadCase(file, { maxBufferBytes: 64 })).rejects.toThrow(
      `${file}: steps[0].length: 100 is over the maximum of 64 bytes`,
    );
  });
});

describe('loadCaseDirectory', () => {
  it('returns the good cases and reports the bad files, in name order', async () => {
    writeFileSync(join(dir, 'b-good.json'), GOOD);
    writeFileSync(join(dir, 'a-good.json'), GOOD);
    writeFileSync(join(dir, 'c-broken.json'), '{ "format": ');
    writeFileSync(join(dir, 'd-odd.json'), GOOD.replace('00 00 00 00 00 00', '00 00 0'));
    writeFileSync(join(dir, 'notes.txt'), 'not a case');
    mkdirSync(join(dir, 'e-folder.json'));

    const { cases, errors } = await loadCaseDirectory(dir);

    expect(cases.map(({ file }) => file)).toEqual([join(dir, 'a-good.json'), join(dir, 'b-good.json')]);
    expect(cases[0].case.steps).toHaveLength(1);
    expect(errors).toEqual([
      {
        file: join(dir, 'c-broken.json'),
        message: `${join(dir, 'c-broken.json')}:1:13: invalid JSON: expected a JSON value, found the end of the text`,
      },
      {
        file: join(dir, 'd-odd.json'),
        message: `${join(dir, 'd-odd.json')}: steps[0].cdb: odd number of hex digits in "0"`,
      },
      {
        file: join(dir, 'e-folder.json'),
        message: `${join(dir, 'e-folder.json')}: cannot read: EISDIR: illegal operation on a directory`,
      },
    ]);
  });

  it('throws a UserError for a directory it cannot read', async () => {
    const missing = join(dir, 'nowhere');
    await expect(loadCaseDirectory(missing)).rejects.toThrow(
      new UserError(`${missing}: cannot read the directory: ENOENT: no such file or directory`),
    );
  });
});
