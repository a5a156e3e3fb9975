// IDX (MNIST format) files: round trips through gzipped and raw files written here, progress, and every
// error a broken or mismatched pair of files gives, each naming the file and the counts expected and found.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdxFile, readIdxDataset, IdxParser } from '../../engine/data';

const dir = mkdtempSync(join(tmpdir(), 'nnb-idx-'));

/** n images of rows x cols with pixel (i, r, c) = (7i + 3r + c) mod 256, and labels i mod classes. */
function sample(n: number, rows: number, cols: number, classes = 3): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * rows * cols);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) images[(i * rows + r) * cols + c] = (7 * i + 3 * r + c) % 256;
  return { images, labels: Uint8Array.from({ length: n }, (_, i) => i % classes) };
}

function write(name: string, bytes: Uint8Array, gzip = false): string {
  const file = join(dir, name);
  writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
  return file;
}

test('an IDX pair round-trips raw and gzipped (told by its bytes, not its name), with progress up to the files sizes', async () => {
  const { images, labels } = sample(50, 5, 4);
  for (const gzip of [false, true]) {
    const imagesFile = write(`rt-images-${gzip}`, encodeIdx([50, 5, 4], images), gzip);
    const labelsFile = write(`rt-labels-${gzip}`, encodeIdx([50], labels), gzip);
    const progress: [number, number][] = [];
    const ds = await readIdxDataset({ images: imagesFile, labels: labelsFile }, { onProgress: (b, t) => progress.push([b, t]) });
    assert.deepEqual(ds.shape, [1, 5, 4]);
    assert.equal(ds.length, 50);
    assert.deepEqual(ds.images, images);
    assert.deepEqual([...ds.labels], [...labels]);
    assert.deepEqual(ds.classNames, ['0', '1', '2']);
    assert.deepEqual(ds.classCounts(), [17, 17, 16]);
    const total = gzip ? gzipSync(encodeIdx([50, 5, 4], images)).length + gzipSync(encodeIdx([50], labels)).length : 16 + 1000 + 8 + 50;
    assert.ok(progress.length >= 2, 'a progress report per file at least');
    assert.deepEqual(progress.at(-1), [total, total]);
    for (let k = 1; k < progress.length; k++) assert.ok(progress[k][0] >= progress[k - 1][0], 'progress never goes back');
  }
});

test('a file parsed chunk by chunk (any split, even inside the header) equals the whole', () => {
  const { images } = sample(3, 4, 4);
  const bytes = encodeIdx([3, 4, 4], images);
  for (const cut of [1, 3, 5, 15, 17, 40]) {
    const parser = new IdxParser('chunks');
    for (let at = 0; at < bytes.length; at += cut) parser.push(bytes.subarray(at, at + cut));
    const { dims, data } = parser.finish();
    assert.deepEqual(dims, [3, 4, 4]);
    assert.deepEqual(data, images);
  }
});

test('truncated, over-long and foreign files name the file and the byte counts', async () => {
  const { images } = sample(10, 28, 28);
  const full = encodeIdx([10, 28, 28], images);
  assert.throws(() => parseIdx(full.subarray(0, 16 + 7000), 'cut.idx'), {
    message: 'cut.idx: truncated IDX file: the header declares [10, 28, 28] (7,840 bytes of data after the 16-byte header), found 7,000',
  });
  assert.throws(() => parseIdx(full.subarray(0, 10), 'head.idx'), {
    message: 'head.idx: truncated IDX header: expected 16 bytes (magic number and dimensions), found 10',
  });
  const long = new Uint8Array(full.length + 12);
  long.set(full);
  assert.throws(() => parseIdx(long, 'long.idx'), {
    message: 'long.idx: 12 unexpected bytes after the 7,840 bytes of data the header declares for [10, 28, 28]: the file is not a single IDX array',
  });
  assert.throws(() => parseIdx(new TextEncoder().encode('label,x\n1,2\n'), 'data.csv'), {
    message:
      'data.csv: not an IDX file: it starts with 6c 61 62 65, expected a magic number 00 00 08 <dimensions> (e.g. 00 00 08 03 for images, 00 00 08 01 for labels)',
  });
  const floats = encodeIdx([2], new Uint8Array(2));
  floats[2] = 0x0d;
  assert.throws(() => parseIdx(floats, 'f.idx'), { message: /^f\.idx: IDX data type 0x0d \(float32\) is not supported/ });

  // The same truncation inside a gzip stream, and a gzip stream cut short, read from disk.
  const cutGz = write('cut.gz', full.subarray(0, 16 + 7000), true);
  await assert.rejects(readIdxFile(cutGz), {
    message: `${cutGz}: truncated IDX file: the header declares [10, 28, 28] (7,840 bytes of data after the 16-byte header), found 7,000`,
  });
  const gz = gzipSync(full);
  const brokenGz = write('broken.gz', gz.subarray(0, gz.length - 20));
  await assert.rejects(readIdxFile(brokenGz), {
    message: new RegExp(`^${brokenGz.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the gzip data is corrupt or truncated`),
  });
  await assert.rejects(readIdxFile(join(dir, 'absent.gz')), { message: `cannot read the IDX file ${join(dir, 'absent.gz')}: no such file` });
});

test('an images file and a labels file that do not pair up are refused with both counts', async () => {
  const { images, labels } = sample(6, 3, 3);
  const imagesFile = write('pair-images', encodeIdx([6, 3, 3], images));
  const fewLabels = write('pair-labels-5', encodeIdx([5], labels.subarray(0, 5)));
  await assert.rejects(readIdxDataset({ images: imagesFile, labels: fewLabels }), {
    message: `${imagesFile} holds 6 images but ${fewLabels} holds 5 labels: each image needs one label`,
  });
  const labelsFile = write('pair-labels', encodeIdx([6], labels));
  await assert.rejects(readIdxDataset({ images: labelsFile, labels: imagesFile }), {
    message: `${labelsFile}: expected an images file with 3 dimensions [count, rows, columns], found 1 [6]: is this the labels file?`,
  });
  await assert.rejects(readIdxDataset({ images: imagesFile, labels: imagesFile }), {
    message: `${imagesFile}: expected a labels file with 1 dimension [count], found 3 [6, 3, 3]: is this the images file?`,
  });
  await assert.rejects(readIdxDataset({ images: imagesFile, labels: labelsFile, classNames: ['a', 'b'] }), {
    message: `${labelsFile}: label 2 (image 2) is outside the 2 class names a, b`,
  });
});

test('reading stops when its signal aborts', async () => {
  const { images } = sample(2000, 28, 28);
  const file = write('big.gz', encodeIdx([2000, 28, 28], images), true);
  const controller = new AbortController();
  const reason = new Error('stopped while reading the data');
  await assert.rejects(
    readIdxFile(file, {
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    }),
    (e) => e === reason,
  );
});
