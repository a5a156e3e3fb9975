// CSV files that are not plain UTF-8: UTF-16 (with or without its byte-order mark) is read as what it
// is by the whole-file reader, and refused by name by the streaming reader and the text parser, never
// read as garbage column names; a UTF-8 byte-order mark is no part of the first name; a huge field is
// quoted short in the error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, readCsvStream, parseCsv } from '../../engine/data';

const dir = mkdtempSync(join(tmpdir(), 'nnb-csv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const CSV = 'a,b,label\n1,2,0\n3,4,1\n';
const utf16le = (s: string, bom: boolean) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length + 2);
  be[0] = 0xfe;
  be[1] = 0xff;
  for (let i = 0; i < le.length; i += 2) [be[i + 2], be[i + 3]] = [le[i + 1], le[i]];
  return be;
};

test('UTF-16 files (LE with or without BOM, BE) read with the right column names', () => {
  for (const [name, bytes] of [
    ['le-bom.csv', utf16le(CSV, true)],
    ['le.csv', utf16le(CSV, false)],
    ['be.csv', utf16be(CSV)],
  ] as const) {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    const d = readCsv(p);
    assert.deepEqual(d.featureNames, ['a', 'b'], name);
    assert.equal(d.labelName, 'label', name);
    assert.deepEqual([...d.x.data], [1, 2, 3, 4], name);
  }
});

test('the streaming reader and the text parser say the file is UTF-16', async () => {
  const p = join(dir, 'stream.csv');
  writeFileSync(p, utf16le(CSV, true));
  await assert.rejects(readCsvStream(p), /stream\.csv: the file is UTF-16LE text, not UTF-8: save it as UTF-8 CSV/);
  // The same bytes decoded as UTF-8 (as a text editor or a preview would): the NULs give it away.
  assert.throws(
    () => parseCsv(utf16le(CSV, false).toString('utf8'), {}, 'pasted.csv'),
    /pasted\.csv: the file is UTF-16 text \(a NUL byte between the letters\), not UTF-8/,
  );
});

test('a UTF-8 byte-order mark is dropped; a huge field is quoted as a short prefix', async () => {
  const p = join(dir, 'bom.csv');
  writeFileSync(p, `\ufeff${CSV}`);
  assert.deepEqual(readCsv(p).featureNames, ['a', 'b']);
  assert.deepEqual((await readCsvStream(p)).featureNames, ['a', 'b']);
  const huge = 'z'.repeat(5_000_000);
  const q = join(dir, 'huge.csv');
  writeFileSync(q, `a,label\n${huge},1\n`);
  await assert.rejects(
    readCsvStream(q),
    (e: Error) => e.message.length < 300 && /huge\.csv:2: column "a" is "z{60}"… \(5,000,000 characters\), not a number/.test(e.message),
  );
});
