// Built-in data sets, TensorDataset/DataLoader batching, and CSV reading with precise errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arange, Generator, manualSeed, tensor } from '../../engine';
import {
  spiral,
  moons,
  quadratic,
  TensorDataset,
  DataLoader,
  parseCsv,
  readCsv,
  readCsvStream,
  readCsvRows,
  NumpyRandomState,
  previewCsv,
} from '../../engine/data';

test("NumPy's legacy stream is reproduced exactly (np.random.seed(1); randn)", () => {
  const r = new NumpyRandomState(1);
  assert.deepEqual([...r.randn(5)], [1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705, 0.8654076293246785]);
  assert.equal(r.randomSample(), 0.4191945144032948);
  assert.deepEqual([...new NumpyRandomState(42).randn(3)], [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]);
});

test("spiral() is the tutorial's flower, point for point (values from NumPy)", () => {
  const { x, y } = spiral();
  assert.deepEqual(x.shape, [400, 2]);
  assert.deepEqual(y.shape, [400, 1]);
  const rows = [0, 1, 199, 200, 399].flatMap((r) => [x.data[2 * r], x.data[2 * r + 1]]);
  assert.deepEqual(
    rows,
    [
      1.2044422626495361, 3.5761141777038574, 0.15870989859104156, -1.4821709394454956, -0.5858464241027832, -3.0912599563598633, -1.070495843887329,
      3.6825246810913086, 0.730780839920044, 3.068329095840454,
    ],
  );
  assert.equal(
    y.data.slice(0, 200).every((v) => v === 0),
    true,
  );
  assert.equal(
    y.data.slice(200).every((v) => v === 1),
    true,
  );
});

test('moons and quadratic have the right shapes and statistics', () => {
  const m = moons({ n: 300, noise: 0, seed: 3 });
  assert.deepEqual(m.x.shape, [300, 2]);
  const sum = m.y.data.reduce((s, v) => s + v, 0);
  assert.equal(sum, 150);
  for (let i = 0; i < 150; i++) assert.ok(Math.abs(Math.hypot(m.x.data[2 * i], m.x.data[2 * i + 1]) - 1) < 1e-6, 'outer moon on the unit circle');
  const q = quadratic({ seed: 4 });
  assert.deepEqual(q.x.shape, [100, 1]);
  for (let i = 0; i < 100; i++) {
    const r = q.y.data[i] - q.x.data[i] ** 2;
    assert.ok(r >= -1e-6 && r <= 0.2 + 1e-6, `noise ${r} outside [0, 0.2]`);
  }
});

test('DataLoader batches, shuffles reproducibly, keeps or drops the last partial batch', () => {
  const x = arange(10).reshape(10, 1);
  const y = arange(10);
  const ds = new TensorDataset(x, y);
  assert.throws(() => new TensorDataset(x, arange(9)), /same first dimension, got \[10, 1\], \[9\]/);
  const plain = [...new DataLoader(ds, { batchSize: 4 })];
  assert.deepEqual(
    plain.map(([bx]) => bx.shape),
    [
      [4, 1],
      [4, 1],
      [2, 1],
    ],
  );
  assert.deepEqual([...plain[2][1].data], [8, 9]);
  assert.equal(new DataLoader(ds, { batchSize: 4, dropLast: true }).length, 2);
  const order = (seed: number) =>
    [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator(seed) })].flatMap(([, by]) => [...by.data]);
  assert.deepEqual(order(5), order(5));
  assert.notDeepEqual(order(5), order(6));
  assert.deepEqual(
    [...order(5)].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  // Without a generator the shuffle draws from the default one, so manualSeed makes it repeat.
  const seededOrder = (seed: number) => {
    manualSeed(seed);
    return [...new DataLoader(ds, { batchSize: 4, shuffle: true })].flatMap(([, by]) => [...by.data]);
  };
  assert.deepEqual(seededOrder(3), seededOrder(3));
  assert.notDeepEqual(seededOrder(3), seededOrder(4));
  const epochs = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(2) });
  assert.notDeepEqual([...epochs][0][1].data, [...epochs][0][1].data, 'every epoch draws a new order');
  const g = new Generator(9);
  const loader = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: g });
  const state = g.getState();
  const first = [...loader][0][1].data.slice();
  g.setState(state);
  assert.deepEqual([...loader][0][1].data, first, 'restoring the generator state replays the shuffle');
});

test('CSV: columns by name, labels as a column or class indices', () => {
  const text = 'x1,x2,label\n0.5,1,0\n-1,2.5,1\n\n3,4,2\n';
  const d = parseCsv(text, { label: 'label' }, 'points.csv');
  assert.deepEqual(d.x.shape, [3, 2]);
  assert.deepEqual([...d.x.data], [0.5, 1, -1, 2.5, 3, 4]);
  assert.deepEqual(d.y.shape, [3, 1]);
  assert.deepEqual(parseCsv(text, { labelShape: 'index' }).y.shape, [3]);
  assert.deepEqual(parseCsv(text, { features: ['x2'], label: 0 }).featureNames, ['x2']);
  assert.deepEqual(previewCsv(text, 2), {
    columns: ['x1', 'x2', 'label'],
    rows: [
      ['0.5', '1', '0'],
      ['-1', '2.5', '1'],
    ],
  });
});

test('CSV errors name the file, the line, the column and the text', () => {
  assert.throws(() => parseCsv('a,b,y\n1,2,0\n3,abc,1\n', {}, 'bad.csv'), /^Error: bad\.csv:3: column "b" is "abc", not a number$/);
  assert.throws(() => parseCsv('a,b,y\n1,2,0\n\n4,,1\n', {}, 'gap.csv'), /gap\.csv:4: column "b" is empty \(missing value\)/);
  assert.throws(() => parseCsv('a,b,y\n1,2,0\n1,2\n', {}, 'short.csv'), /short\.csv:3: expected 3 fields, found 2/);
  assert.throws(() => parseCsv('a,b,y\n1,2,0\n', { label: 'z' }, 'f.csv'), /f\.csv: no column named "z" for the label \(columns: "a", "b", "y"\)/);
  assert.throws(() => parseCsv('', {}, 'empty.csv'), /empty\.csv: the file is empty/);
  assert.throws(() => parseCsv('a,b\n', {}, 'h.csv'), /h\.csv: no data rows after the header/);
  const d = mkdtempSync(join(tmpdir(), 'nnb-csv-'));
  writeFileSync(join(d, 'rows.csv'), 'a,y\n1,0\n2,1\nx,0\n');
  assert.throws(() => readCsv(join(d, 'rows.csv')), /rows\.csv:4: column "a" is "x", not a number/);
  assert.throws(() => readCsv(join(d, 'nope.csv')), /cannot read the file \(ENOENT\)/);
});

test('the streaming reader handles a multi-megabyte CSV and reports bad rows by line', async () => {
  const d = mkdtempSync(join(tmpdir(), 'nnb-csv-'));
  const path = join(d, 'big.csv');
  const rows = 60000;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    out.write('f0,f1,f2,f3,f4,label\n');
    let chunk = '';
    for (let i = 0; i < rows; i++) {
      chunk += `${i},${i * 0.5},${-i},${i % 7},${(i * 1.25).toFixed(2)},${i % 3}\n`;
      if (chunk.length > 1 << 16) {
        out.write(chunk);
        chunk = '';
      }
    }
    out.end(chunk, () => resolve());
  });
  let lastBytes = 0;
  const data = await readCsvStream(path, { labelShape: 'index' }, (b) => (lastBytes = b));
  assert.deepEqual(data.x.shape, [rows, 5]);
  assert.deepEqual(data.y.shape, [rows]);
  assert.equal(data.x.data[5 * 12345 + 1], 12345 * 0.5);
  assert.equal(data.y.data[rows - 1], (rows - 1) % 3);
  assert.ok(lastBytes > 1_500_000, `read ${lastBytes} bytes`);
  writeFileSync(join(d, 'bad.csv'), 'a,y\n1,0\n2,oops\n');
  await assert.rejects(readCsvStream(join(d, 'bad.csv')), /bad\.csv:3: column "y" is "oops", not a number/);
});

test('picked rows of a CSV come in the order asked; a row past the end, a bad value or a missing file is named', async () => {
  const d = mkdtempSync(join(tmpdir(), 'nnb-csv-rows-'));
  const path = join(d, 'points.csv');
  writeFileSync(path, 'a,b,label\n1,2,0\n3,4,1\n5,oops,0\n7,8,1\n');
  const picked = await readCsvRows(path, [4, 1]);
  assert.deepEqual(picked, {
    features: [
      [7, 8],
      [1, 2],
    ],
    labels: [1, 0],
    featureNames: ['a', 'b'],
  });
  await assert.rejects(readCsvRows(path, [2, 9]), /points\.csv has 4 data rows; there is no row 9/);
  await assert.rejects(readCsvRows(path, [3]), /points\.csv:4: column "b" is "oops", not a number/);
  await assert.rejects(readCsvRows(join(d, 'nope.csv'), [1]), /nope\.csv: no such file/);
  await assert.rejects(readCsvRows(d, [1]), /cannot read the file \(EISDIR\)/);
});

test('tensor() from nested lists for the dataset tutorial', () => {
  assert.deepEqual(tensor([[1], [2]]).shape, [2, 1]);
});
